import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { ident, join, sql } from '../../store/sql.ts';

/**
 * `GET /api/admin/usage?days=30`: what the tenant holds and does — records and writes per module and
 * model, writes per day, users, storage — from the event log and the tables, in one round trip.
 */
export default async function usageRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.platform;

  app.get<{ Querystring: { days?: string } }>('/admin/usage', async (request) => {
    const days = request.query.days === undefined ? 30 : Number(request.query.days);
    if (!Number.isInteger(days) || days < 1 || days > 366)
      throw AtriumError.invalidField('days', 'range', 'must be an integer from 1 to 366');
    const { tenant, schema } = request.session;
    const t = sql`${tenant.id}::uuid`;
    const models = [...schema.models.values()].filter((m) => !m.system);
    const perTable = models.map(
      (m) =>
        sql`SELECT ${m.id} AS model, count(*)::int AS records, coalesce(sum(pg_column_size(x.*)), 0)::bigint AS bytes FROM ${ident(m.table)} x WHERE x.tenant_id = ${t}`,
    );
    const since = sql`now() - make_interval(days => ${days})`;
    const [tables, writes, daily, users, events] = await db.batch(tenant.id, [
      perTable.length ? join(perTable, ' UNION ALL ') : sql`SELECT NULL::text AS model, 0 AS records, 0::bigint AS bytes WHERE false`,
      sql`SELECT model, op, count(*)::int AS n FROM core_events WHERE tenant_id = ${t} AND at >= ${since} AND op <> 'chatter' GROUP BY model, op`,
      // Writes of the tenant's records: the administration's own (users, roles, settings, modules) are not counted.
      sql`SELECT to_char(date_trunc('day', at), 'YYYY-MM-DD') AS day, count(*)::int AS writes FROM core_events WHERE tenant_id = ${t} AND at >= ${since} AND model NOT LIKE 'core.%' GROUP BY 1 ORDER BY 1`,
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE active)::int AS active_accounts,
            (SELECT count(DISTINCT actor)::int FROM core_events WHERE tenant_id = ${t} AND at >= ${since} AND actor IS NOT NULL) AS active_in_period
          FROM core_users WHERE tenant_id = ${t}`,
      sql`SELECT coalesce(sum(pg_column_size(e.*)), 0)::bigint AS bytes FROM core_events e WHERE e.tenant_id = ${t}`,
    ]);
    const byModel = new Map(
      models.map((m) => [
        m.id,
        { model: m.id, module: m.module, label: m.label, records: 0, writes: { created: 0, updated: 0, deleted: 0 } },
      ]),
    );
    for (const row of tables.rows) Object.assign(byModel.get(row.model)!, { records: row.records });
    for (const row of writes.rows) {
      const entry = byModel.get(row.model);
      if (entry) entry.writes[row.op as 'created'] = row.n;
    }
    const recordBytes = tables.rows.reduce((sum, row) => sum + Number(row.bytes), 0);
    return {
      period: { days, to: new Date().toISOString() },
      users: users.rows[0],
      models: [...byModel.values()],
      daily: daily.rows,
      storage: {
        records_bytes: recordBytes,
        events_bytes: Number(events.rows[0].bytes),
        total_bytes: recordBytes + Number(events.rows[0].bytes),
      },
    };
  });
}
