import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Transaction } from '../../store/database.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import type { Sql } from '../../store/sql.ts';

export interface PendingEvent {
  model: ModelDef;
  id: string;
  op: 'created' | 'updated';
  changed: string[];
  /** The record before an update, when an automation needs to know which fields really changed. */
  before?: RecordData;
}

export type CachedReads = 'use' | 'refresh' | 'none';

/** One transaction's writes: statements run as they come, events wait for the final round trip. */
export class WriteUnit {
  readonly events: PendingEvent[] = [];
  /** Events before this index have been judged by the tenant's automations (automation-runner.ts). */
  judged = 0;
  /** How deep in a chain of automations the unit's own writes are (0: a user's write; 1: a time-based automation's). */
  depth = 0;
  /** Told right after the commit: this node's outboxes that the unit wrote to (mail, webhooks). */
  readonly afterCommit = new Set<() => void>();
  /** Records inserted, by model: the plan's record limits are checked on them before COMMIT. */
  readonly inserted = new Map<ModelDef, number>();
  /** Statements that must run after the events, right before COMMIT (the plan's limits, see plan-limit-sql.ts). */
  readonly checks: Sql[] = [];
  /** When the unit began (performance.now()): how old its events are when they reach sockets. */
  readonly startedAt = performance.now();
  constructor(
    readonly tx: Transaction,
    /**
     * How hooks' reads by id may use the node's cache (hook-read-cache.ts): 'use' serves them from it, checked
     * in the write's own message; 'refresh' reads afresh and keeps what it read (a write that found an entry
     * stale runs again so); 'none' leaves it alone (a unit that cannot run again, or shares its transaction).
     */
    readonly cachedReads: CachedReads = 'none',
  ) {}

  insertedOne(model: ModelDef): void {
    this.inserted.set(model, (this.inserted.get(model) ?? 0) + 1);
  }
}
