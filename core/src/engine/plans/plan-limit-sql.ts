import type { LimitKind, PlanLimits, Plans } from '../../kernel/plans.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { expectSql } from '../../store/refusal-sql.ts';
import { ident, join, raw, sql, type Sql } from '../../store/sql.ts';

type Pick = (limits: PlanLimits) => number | null;

/**
 * The limit of the tenant's plan as SQL, read from its row inside the transaction (so a plan changed a
 * moment ago holds at once); undefined when no plan limits that kind (nothing to check, nothing to pay).
 */
export function planMaxSql(plans: Plans, tenantId: string, pick: Pick): Sql | undefined {
  const all = [...plans.list.values()];
  if (all.every((plan) => pick(plan.limits) === null)) return undefined;
  const fallback = pick(plans.list.get(plans.default)!.limits);
  const cases = all.map((plan) => sql`WHEN ${plan.name} THEN ${pick(plan.limits)}::bigint`);
  return sql`(SELECT CASE t.plan ${join(cases, ' ')} ELSE ${fallback}::bigint END FROM core_tenants t WHERE t.id = ${tenantId}::uuid)`;
}

/**
 * A statement that refuses (`plan_limit`, detail: the `402` details entry as JSON) when `count` is over the
 * plan's limit. It runs after the write, before COMMIT, and after the event that locks the tenant's cursor
 * row (engine/events/outbox.ts): a second writer of the tenant waits for this one's commit before it counts,
 * so parallel writes cannot all see room for one more. `added`: what this write added, to tell the count
 * before it as `current`. Counted only for a plan that limits it.
 */
export function withinLimitSql(limit: LimitKind, max: Sql, count: Sql, added: number, model?: string): Sql {
  const detail = sql`json_build_object('limit', ${limit}::text, 'max', c.max, 'current', c.n - ${added}::bigint${model ? sql`, 'model', ${model}::text` : raw('')})::text`;
  return sql`WITH l AS (SELECT ${max} AS max), c AS (SELECT l.max, CASE WHEN l.max IS NULL THEN 0 ELSE (${count}) END AS n FROM l)
    SELECT ${expectSql(sql`c.max IS NULL OR c.n <= c.max`, 'plan_limit', detail)} FROM c`;
}

const countOf = (table: string, tenantId: string): Sql => sql`(SELECT count(*) FROM ${ident(table)} WHERE tenant_id = ${tenantId}::uuid)`;

/**
 * The checks for records added by a write: in all (every model of the tenant's modules), per model, and
 * the storage, as last measured (see tenant-storage.ts). `known`: the limits of the tenant's plan as its
 * session saw it (a plan change reaches every node's sessions through the bus): a kind they leave unlimited
 * is not checked, so a tenant on a plan without limits pays no statement at all. Without it, every kind
 * that some plan limits is checked against the plan read in the transaction.
 */
export function recordLimitsSql(
  plans: Plans,
  tenantId: string,
  models: ModelDef[],
  added: Map<ModelDef, number>,
  known?: PlanLimits,
): Sql[] {
  const limitOf = (pick: Pick): Sql | undefined => (known && pick(known) === null ? undefined : planMaxSql(plans, tenantId, pick));
  const checks: Sql[] = [];
  const storage = limitOf((l) => l.storageBytes);
  if (storage)
    checks.push(withinLimitSql('storage', storage, sql`(SELECT storage_bytes FROM core_tenants WHERE id = ${tenantId}::uuid)`, 0));
  const total = [...added.values()].reduce((a, b) => a + b, 0);
  const max = limitOf((l) => l.records);
  if (max && total > 0)
    checks.push(
      withinLimitSql(
        'records',
        max,
        join(
          models.map((m) => countOf(m.table, tenantId)),
          ' + ',
        ),
        total,
      ),
    );
  for (const [model, n] of added) {
    const perModel = limitOf((l) => l.modelRecords[model.id] ?? null);
    if (perModel) checks.push(withinLimitSql('records', perModel, countOf(model.table, tenantId), n, model.id));
  }
  return checks;
}

/** The check for a user added to the tenant. */
export function userLimitSql(plans: Plans, tenantId: string): Sql[] {
  const max = planMaxSql(plans, tenantId, (l) => l.users);
  return max ? [withinLimitSql('users', max, countOf('core_users', tenantId), 1)] : [];
}
