import { empty, ident, join, sql, type Sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';
import { planNamed } from '../../kernel/plans.ts';
import type { OperatorTenant } from '@atrium/protocol';

/**
 * Every tenant (or one) with its plan, status, users, records and last activity: one statement as the owner,
 * across tenants. Records are those of every module's models, whether the tenant has the module on or not.
 */
export async function operatorTenants(platform: Pick<Platform, 'db' | 'registry' | 'config'>, id?: string): Promise<OperatorTenant[]> {
  const tables = [...platform.registry.models.values()].filter((m) => !m.system).map((m) => m.table);
  const counts: Sql = tables.length
    ? join(
        tables.map((table) => sql`SELECT tenant_id, count(*) AS n FROM ${ident(table)} GROUP BY tenant_id`),
        ' UNION ALL ',
      )
    : sql`SELECT NULL::uuid AS tenant_id, 0::bigint AS n WHERE false`;
  // The timestamps come as Dates and go out, as the protocol says, as ISO strings.
  const rows = await platform.db
    .system<OperatorTenant>(sql`WITH records AS (SELECT tenant_id, sum(n)::int AS n FROM (${counts}) c GROUP BY tenant_id)
    SELECT t.id, t.name, t.slug, t.plan,
      CASE WHEN t.suspended_at IS NULL THEN 'active' ELSE 'suspended' END AS status,
      (SELECT count(*)::int FROM core_users u WHERE u.tenant_id = t.id) AS users,
      coalesce(r.n, 0) AS records,
      t.created_at,
      (SELECT max(e.at) FROM core_events e WHERE e.tenant_id = t.id AND e.model NOT LIKE 'core.%') AS last_activity_at,
      t.billing_grace_until
    FROM core_tenants t LEFT JOIN records r ON r.tenant_id = t.id
    ${id === undefined ? empty : sql`WHERE t.id = ${id}::uuid`}
    ORDER BY t.created_at DESC, t.id`);
  // No plan (or one no longer declared) is the default plan.
  for (const row of rows) row.plan = planNamed(platform.config.plans, row.plan).name;
  return rows;
}
