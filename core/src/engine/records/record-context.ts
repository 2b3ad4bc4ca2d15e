import type { Plan, Plans } from '../../kernel/plans.ts';
import { AtriumError } from '../../kernel/errors.ts';
import type { Database } from '../../store/database.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { ModelHooks, TenantInfo, UserInfo } from '../../kernel/module-api.ts';
import type { Permissions } from '../rbac/permissions.ts';
import { ruleSqlOf } from '../rbac/ability-to-sql.ts';
import { masksNothing, maskRecords } from '../rbac/field-mask.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import type { Sql } from '../../store/sql.ts';
import { currencyPrecision } from '@atrium/protocol/money';
import type { RecordData } from '../../kernel/record-types.ts';
import type { Actor } from './write-sql.ts';
import type { Signal } from '../events/bus.ts';
import type { LoggedEvent } from '../events/event-log.ts';
import type { WriteUnit } from './write-unit.ts';
import type { Transaction } from '../../store/database.ts';

type QueryResult = Awaited<ReturnType<Transaction['query']>>[number];

/** Where committed events go next: the bus, told after commit (it tells this node's sockets and the other nodes). */
export interface EventSink {
  committed(tenantId: string, lastCursor: number, events?: readonly LoggedEvent[]): void;
  /** A committed write queued mail: this node's delivery looks for it now rather than at its next poll. */
  mailQueued?(): void;
  /** Tells sockets on every node (new notifications, see engine/notifications/notify.ts); absent: nobody is told live. */
  signal?(message: Signal): void;
}

/** Everything a record operation needs to know about who asks, in which tenant, with which rights. */
export interface RecordScope {
  db: Database;
  schema: TenantSchema;
  tenant: TenantInfo;
  user: UserInfo | null;
  /** null: the core or a module hook acting inside the tenant (tenant isolation and RLS still apply). */
  ability: Permissions | null;
  events: EventSink;
  /** The platform's plans: the tenant's limits are checked in its writes' transactions. */
  plans: Plans;
  /** The tenant's plan as its session saw it: kinds of limit it leaves open cost the write no check (plan-limit-sql.ts). */
  plan?: Plan;
  hooks(modelId: string): ModelHooks | undefined;
  /** The HTTP request this operation serves, kept on the events it writes. */
  requestId?: string;
  /** The tenant's automations, judged before each commit (engine/automations/); absent: none run. */
  automations?: WriteAutomations;
  /** Records hooks read by id, kept on this node (hook-read-cache.ts); absent: every read goes to the database. */
  hookReads?: HookReads;
}

/** A hook's read by id as the node's cache answers it: undefined when the record is not the cache's to answer. */
export interface HookReads {
  get(ctx: RecordContext, unit: WriteUnit, model: ModelDef, id: string): Promise<RecordData | null | undefined>;
}

/** What the write path asks of the automations (engine/automations/automation-runner.ts). */
export interface WriteAutomations {
  /** Does an update of this model need the record as it was (a trigger on given fields)? */
  needsBefore(scope: RecordScope, unit: WriteUnit, model: ModelDef): Promise<boolean>;
  /** Does a delete of this model trigger some? Then the record is read before it goes (see deleted). */
  onDelete(scope: RecordScope, unit: WriteUnit, model: ModelDef): Promise<boolean>;
  /**
   * Judges the unit's events not judged yet and runs what matches, before the commit. When anything may run
   * it sends `statements` first (the write they judge) and answers their results; undefined: nothing sent.
   */
  beforeCommit(scope: RecordScope, unit: WriteUnit, statements: Sql[]): Promise<QueryResult[] | undefined>;
  /** A record was deleted (its statement sent): the delete triggers judged on the record as it was. */
  deleted(scope: RecordScope, unit: WriteUnit, model: ModelDef, record: RecordData): Promise<void>;
}

/** Shared helpers of the reader and the writer: model resolution, rule SQL, masks. */
export class RecordContext {
  readonly precision: number;
  readonly actor: Actor;

  constructor(readonly scope: RecordScope) {
    this.precision = currencyPrecision(scope.tenant.currency);
    this.actor = { tenantId: scope.tenant.id, userId: scope.user?.id ?? null };
  }

  /** The model, if the tenant has its module on; 404 `module_disabled` or `not_found` otherwise. */
  model(id: string): ModelDef {
    const model = this.scope.schema.model(id);
    if (model) return model;
    const declared = this.scope.schema.registry.model(id);
    if (declared) throw AtriumError.moduleDisabled(declared.module);
    throw AtriumError.notFound(`Unknown model "${id}"`);
  }

  resolve = (id: string): ModelDef | undefined => this.scope.schema.model(id);

  /** The user may do `action` on at least some records of the model (403 otherwise). */
  requireAny(action: string, model: ModelDef): void {
    const ability = this.scope.ability;
    if (ability && ability.condition(action, model) === null) throw AtriumError.forbidden(`You may not ${action} ${model.label} records`);
  }

  /** The rows (aliased `alias`) the user may `action`; undefined when every row of the tenant qualifies. */
  ruleSql(action: string, model: ModelDef, alias = 'a'): Sql | undefined {
    return this.scope.ability ? ruleSqlOf(this.scope.ability, action, model, this.scope.schema, alias) : undefined;
  }

  /** Records of the model without lines go out as PostgreSQL wrote them (see masksNothing). */
  unmasked(model: ModelDef): boolean {
    return !this.scope.ability || masksNothing(this.scope.ability, model, this.resolve);
  }

  mask(model: ModelDef, records: RecordData[]): RecordData[] {
    return this.scope.ability ? maskRecords(this.scope.ability, model, records, this.resolve) : records;
  }
}
