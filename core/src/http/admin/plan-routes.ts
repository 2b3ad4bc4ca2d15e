import type { FastifyInstance } from 'fastify';
import type { PlanSummary } from '@atrium/protocol';
import { planNamed } from '../../kernel/plans.ts';
import { sql } from '../../store/sql.ts';
import { eventBytesSql, recordsPerModelSql } from '../../engine/plans/tenant-holdings-sql.ts';

/**
 * `GET /api/admin/plan` → `{plan, label, limits, usage, plans}`: the tenant's plan, its limits (null:
 * unlimited) beside what the tenant holds, and the plans there are (for an upgrade).
 */
export default async function planRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.platform;

  app.get('/admin/plan', async (request): Promise<PlanSummary> => {
    const { tenant, schema } = request.session;
    const t = sql`${tenant.id}::uuid`;
    const models = [...schema.models.values()].filter((m) => !m.system);
    const [row, perModel, counts, events] = await db.batch(tenant.id, [
      sql`SELECT plan FROM core_tenants WHERE id = ${t}`,
      recordsPerModelSql(tenant.id, models),
      sql`SELECT (SELECT count(*)::int FROM core_users WHERE tenant_id = ${t}) AS users,
                 (SELECT count(*)::int FROM core_tenant_modules WHERE tenant_id = ${t} AND enabled) AS modules`,
      eventBytesSql(tenant.id),
    ]);
    const plan = planNamed(config.plans, row.rows[0].plan as string | null);
    const recordBytes = perModel.rows.reduce((sum, r) => sum + Number(r.bytes), 0);
    const { limits } = plan;
    return {
      plan: plan.name,
      label: plan.label,
      limits: {
        users: limits.users,
        records: limits.records,
        model_records: limits.modelRecords,
        modules: limits.modules,
        storage_bytes: limits.storageBytes,
        requests_per_minute: limits.requestsPerMinute,
      },
      usage: {
        users: counts.rows[0].users as number,
        records: perModel.rows.reduce((sum, r) => sum + Number(r.records), 0),
        model_records: Object.fromEntries(perModel.rows.map((r) => [r.model as string, r.records as number])),
        modules: counts.rows[0].modules as number,
        storage_bytes: recordBytes + Number(events.rows[0].bytes),
      },
      plans: [...config.plans.list.values()].map((p) => ({ name: p.name, label: p.label })),
    };
  });
}
