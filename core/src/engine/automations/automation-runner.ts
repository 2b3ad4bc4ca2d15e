import { randomUUID } from 'node:crypto';
import { AtriumError, type FieldProblem } from '../../kernel/errors.ts';
import { parseFilter } from '../../kernel/filter/filter-language.ts';
import { matchesCondition } from '../../kernel/filter/filter-match.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { ident, sql, type Sql } from '../../store/sql.ts';
import type { Transaction } from '../../store/database.ts';
import { RecordContext, type RecordScope, type WriteAutomations } from '../records/record-context.ts';
import { RecordReader } from '../records/record-reader.ts';
import { TenantRecordsInTransaction } from '../records/tenant-records.ts';
import type { WriteUnit } from '../records/write-unit.ts';
import { ACTION_KINDS } from './actions/registry.ts';
import type { AutomationCache } from './automation-cache.ts';
import { MAX_DEPTH, type Automation, type RecordChange } from './automation-types.ts';

type QueryResult = Awaited<ReturnType<Transaction['query']>>[number];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const opMatches = (automation: Automation, op: RecordChange['op']): boolean => {
  const on = automation.trigger.on;
  if (op === 'created') return on === 'create' || on === 'create_or_update';
  if (op === 'updated') return on === 'update' || on === 'create_or_update';
  return op === 'deleted' ? on === 'delete' : on === 'time';
};

/** What a failed automation's run log says: the error's message, and a validation's fields. */
const failure = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  // A single problem is the message already ("Name must be text"); several are listed after it.
  const problems = error instanceof AtriumError && Array.isArray(error.details) ? (error.details as FieldProblem[]) : [];
  const listed = problems.length > 1 ? problems.map((p) => `${p.field}: ${p.message}`) : [];
  return [error.message, ...listed].join('; ').slice(0, 2000);
};

/**
 * Runs a tenant's automations inside the write's transaction (docs/decisions.md, "Automations"): each
 * new event of the unit is judged — trigger, changed fields, `when` on the record after the write — and
 * each automation that matches runs its actions as the system within the tenant, behind a savepoint: a
 * failing one is undone alone and logged `failed`, the user's write commits. Events its actions cause are
 * judged next, one level deeper, up to MAX_DEPTH; deeper ones are logged `skipped`.
 */
export class AutomationRunner implements WriteAutomations {
  constructor(
    readonly cache: AutomationCache,
    private readonly wake: { mail(): void; webhooks(): void },
  ) {}

  async needsBefore(scope: RecordScope, unit: WriteUnit, model: ModelDef): Promise<boolean> {
    const all = await this.cache.of(scope.tenant.id, unit.tx);
    return all.some((a) => a.model === model.id && opMatches(a, 'updated') && a.trigger.fields);
  }

  async onDelete(scope: RecordScope, unit: WriteUnit, model: ModelDef): Promise<boolean> {
    const all = await this.cache.of(scope.tenant.id, unit.tx);
    return all.some((a) => a.model === model.id && opMatches(a, 'deleted'));
  }

  async beforeCommit(scope: RecordScope, unit: WriteUnit, statements: Sql[]): Promise<QueryResult[] | undefined> {
    if (unit.judged >= unit.events.length) return undefined;
    const all = await this.cache.of(scope.tenant.id, unit.tx);
    const models = new Set(all.map((a) => a.model));
    if (!unit.events.slice(unit.judged).some((e) => models.has(e.model.id))) {
      unit.judged = unit.events.length;
      return undefined;
    }
    const results = statements.length > 0 ? await unit.tx.query(...statements) : [];
    await this.judgeEvents(scope, unit, all, unit.depth + 1);
    return results;
  }

  async deleted(scope: RecordScope, unit: WriteUnit, model: ModelDef, record: RecordData): Promise<void> {
    const all = await this.cache.of(scope.tenant.id, unit.tx);
    await this.judgeEvents(scope, unit, all, unit.depth + 1); // the holders the delete released (see RecordWriter.remove)
    for (const automation of all.filter((a) => a.model === model.id && opMatches(a, 'deleted')))
      await this.judge(scope, unit, automation, model, { op: 'deleted', record, changed: [] }, unit.depth + 1);
    await this.judgeEvents(scope, unit, all, unit.depth + 2);
  }

  /** A time-based job come due: the automation judged on the record as it is now (time-jobs.ts). */
  async due(scope: RecordScope, unit: WriteUnit, automation: Automation, recordId: string): Promise<void> {
    const model = scope.schema.model(automation.model);
    const record = model && (await this.reader(scope).findStored(model, recordId, unit.tx));
    if (!model || !record) {
      unit.tx.defer(this.logSql(scope, automation, recordId, 'skipped', 'The record no longer exists', unit.depth + 1));
      return;
    }
    await this.judge(scope, unit, automation, model, { op: 'time', record, changed: [] }, unit.depth + 1);
    unit.depth += 1; // what its actions cause is judged one level deeper
  }

  /** The unit's events not judged yet, wave after wave: the events a wave's actions cause are the next, one level deeper. */
  private async judgeEvents(scope: RecordScope, unit: WriteUnit, all: Automation[], depth: number): Promise<void> {
    for (let level = depth; unit.judged < unit.events.length; level++) {
      const wave = unit.events.slice(unit.judged);
      unit.judged = unit.events.length;
      for (const event of wave) {
        const matching = all.filter((a) => a.model === event.model.id);
        if (matching.length === 0) continue;
        const record = await this.reader(scope).findStored(event.model, event.id, unit.tx, false);
        if (!record) continue;
        const changed = event.before ? event.changed.filter((f) => !same(event.before![f], record[f])) : event.changed;
        const change: RecordChange = { op: event.op, record, changed };
        for (const automation of matching) {
          if (automation.trigger.on === 'time') await this.schedule(scope, unit, automation, event.model, change);
          else if (opMatches(automation, event.op)) await this.judge(scope, unit, automation, event.model, change, level);
        }
      }
    }
  }

  /** Whether the automation runs on this change, and if so its actions, behind a savepoint; its run logged either way it ends. */
  private async judge(
    scope: RecordScope,
    unit: WriteUnit,
    automation: Automation,
    model: ModelDef,
    change: RecordChange,
    depth: number,
  ): Promise<void> {
    const { fields, when } = automation.trigger;
    if (change.op === 'updated' && fields && !fields.some((f) => change.changed.includes(f))) return;
    const recordId = change.record.id as string;
    let matches: boolean;
    try {
      matches = !when || matchesCondition(model, parseFilter(model, when, { source: 'trigger.when' }), change.record);
    } catch (error) {
      // The model changed under the automation (a field gone with its module): told in the run log.
      unit.tx.defer(this.logSql(scope, automation, recordId, 'failed', failure(error), depth));
      return;
    }
    if (!matches) {
      if (change.op === 'time') unit.tx.defer(this.logSql(scope, automation, recordId, 'skipped', 'The condition is not met', depth));
      return;
    }
    if (depth > MAX_DEPTH) {
      const reason = `Not run: automations triggered each other more than ${MAX_DEPTH} levels deep`;
      unit.tx.defer(this.logSql(scope, automation, recordId, 'skipped', reason, depth));
      return;
    }
    const events = unit.events.length;
    const wakes = new Set<'mail' | 'webhooks'>();
    await unit.tx.query(sql`SAVEPOINT atrium_automation`);
    try {
      const records = new TenantRecordsInTransaction(scope, unit);
      for (const action of automation.actions) {
        await ACTION_KINDS.get(action.type)!.run(action, {
          automation,
          model,
          change,
          tenantId: scope.tenant.id,
          schema: scope.schema,
          records,
          unit,
          announcer: scope.events,
          afterCommit: (outbox) => wakes.add(outbox),
        });
      }
      await unit.tx.query(sql`RELEASE SAVEPOINT atrium_automation`);
    } catch (error) {
      unit.events.length = events;
      await unit.tx.query(sql`ROLLBACK TO SAVEPOINT atrium_automation`);
      unit.tx.defer(this.logSql(scope, automation, recordId, 'failed', failure(error), depth));
      return;
    }
    for (const outbox of wakes) unit.afterCommit.add(this.wake[outbox]);
    unit.tx.defer(this.logSql(scope, automation, recordId, 'done', null, depth));
  }

  /**
   * A time trigger's job for the record: due at its date plus the offset, armed again when the date moves,
   * gone when the date is emptied. Written with the record, so a job exists exactly when the write committed.
   */
  private async schedule(scope: RecordScope, unit: WriteUnit, automation: Automation, model: ModelDef, change: RecordChange) {
    const field = automation.trigger.field!;
    if (change.op !== 'created' && !change.changed.includes(field)) return;
    const tenant = scope.tenant.id;
    const recordId = change.record.id as string;
    await unit.tx.query(
      sql`DELETE FROM core_automation_jobs WHERE tenant_id = ${tenant}::uuid AND automation_id = ${automation.id}::uuid AND record_id = ${recordId}::uuid
        AND NOT EXISTS (SELECT 1 FROM ${ident(model.table)} a WHERE a.tenant_id = ${tenant}::uuid AND a.id = ${recordId}::uuid AND a.${ident(model.fields[field].column!)} IS NOT NULL)`,
      scheduleSql(tenant, automation, model, sql`a.id = ${recordId}::uuid`),
    );
  }

  private reader(scope: RecordScope): RecordReader {
    return new RecordReader(new RecordContext({ ...scope, ability: null }));
  }

  private logSql(scope: RecordScope, automation: Automation, recordId: string | null, status: string, error: string | null, depth: number) {
    return sql`INSERT INTO core_automation_runs (tenant_id, id, automation_id, record_id, status, error, depth)
      VALUES (${scope.tenant.id}::uuid, ${randomUUID()}::uuid, ${automation.id}::uuid, ${recordId}::uuid, ${status}, ${error}, ${depth})`;
  }
}

/**
 * The jobs of a time trigger for the records `where` selects (with a date): due at the date plus the offset;
 * a job whose due time moved is armed again, one whose time is unchanged keeps its state (run once).
 */
export function scheduleSql(tenantId: string, automation: Pick<Automation, 'id' | 'trigger'>, model: ModelDef, where: Sql): Sql {
  const column = ident(model.fields[automation.trigger.field!].column!);
  return sql`INSERT INTO core_automation_jobs (tenant_id, automation_id, record_id, due_at)
    SELECT a.tenant_id, ${automation.id}::uuid, a.id, ${dueAtSql(automation, model)}
    FROM ${ident(model.table)} a WHERE a.tenant_id = ${tenantId}::uuid AND a.${column} IS NOT NULL AND ${where}
    ON CONFLICT (tenant_id, automation_id, record_id) DO UPDATE SET due_at = EXCLUDED.due_at, status = 'pending', claim = NULL, lease_until = NULL
    WHERE core_automation_jobs.due_at IS DISTINCT FROM EXCLUDED.due_at`;
}

/** When a time trigger's job for the record (aliased `a`) is due: its date field plus the offset in days. */
export function dueAtSql(automation: Pick<Automation, 'trigger'>, model: ModelDef): Sql {
  const column = ident(model.fields[automation.trigger.field!].column!);
  return sql`(a.${column} + ${automation.trigger.offset_days ?? 0} * interval '1 day')::timestamptz`;
}
