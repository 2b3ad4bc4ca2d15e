import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Transaction } from '../../store/database.ts';
import type { Sql } from '../../store/sql.ts';

interface PendingEvent {
  model: ModelDef;
  id: string;
  op: 'created' | 'updated';
  changed: string[];
}

/** One transaction's writes: statements run as they come, events wait for the final round trip. */
export class WriteUnit {
  readonly events: PendingEvent[] = [];
  /** Records inserted, by model: the plan's record limits are checked on them before COMMIT. */
  readonly inserted = new Map<ModelDef, number>();
  /** Statements that must run after the events, right before COMMIT (the plan's limits, see plan-limit-sql.ts). */
  readonly checks: Sql[] = [];
  constructor(readonly tx: Transaction) {}

  insertedOne(model: ModelDef): void {
    this.inserted.set(model, (this.inserted.get(model) ?? 0) + 1);
  }
}
