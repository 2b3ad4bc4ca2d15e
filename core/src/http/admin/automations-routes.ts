import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { sql, type Sql } from '../../store/sql.ts';
import type { Transaction } from '../../store/database.ts';
import { checkAutomation } from '../../engine/automations/automation-check.ts';
import { dueAtSql, scheduleSql } from '../../engine/automations/automation-runner.ts';
import type { Automation } from '../../engine/automations/automation-types.ts';

type Params = { id: string };

const COLUMNS = sql`id, name, model, trigger, actions, active, created_at, updated_at`;

/**
 * `/api/admin/automations` (docs/api.md, "Automations"): a tenant's automations, their run log and their
 * webhook deliveries (the dead ones are the dead letters). A change is told to every node (the cache of
 * automations a write asks) by the tenant's control message.
 */
export default async function automationsRoutes(app: FastifyInstance): Promise<void> {
  const { db, bus, timeJobs, webhooks, config } = app.platform;
  const privateNetworks = config.automations.webhookPrivateNetworks;
  const tenantOf = (request: FastifyRequest) => request.session.tenant.id;
  const idOf = (request: FastifyRequest<{ Params: Params }>) => {
    if (!isUuid(request.params.id)) throw AtriumError.notFound();
    return request.params.id;
  };

  /** A time trigger's jobs for the records that have a date still to come (a past date does not fire when the automation is saved). */
  const schedule = (tx: Transaction, tenantId: string, automation: Omit<Automation, 'id'> & { id: string }, request: FastifyRequest) => {
    const statements: Sql[] = [
      sql`DELETE FROM core_automation_jobs WHERE tenant_id = ${tenantId}::uuid AND automation_id = ${automation.id}::uuid`,
    ];
    if (automation.trigger.on === 'time' && automation.active) {
      const model = request.session.schema.model(automation.model)!;
      statements.push(scheduleSql(tenantId, automation, model, sql`${dueAtSql(automation, model)} >= now()`));
    }
    return tx.query(...statements);
  };

  const changed = async (tenantId: string) => {
    await bus.control({ kind: 'tenant', tenantId });
    timeJobs.wake();
  };

  app.get('/admin/automations', async (request) => {
    const [result] = await db.batch(tenantOf(request), [
      sql`SELECT ${COLUMNS} FROM core_automations WHERE tenant_id = ${tenantOf(request)}::uuid ORDER BY created_at, id`,
    ]);
    return { data: result.rows };
  });

  app.post('/admin/automations', async (request, reply) => {
    const tenantId = tenantOf(request);
    const automation = { id: randomUUID(), ...checkAutomation(request.session.schema, request.body, privateNetworks) };
    const row = await db.transaction(tenantId, async (tx) => {
      const [created] = await tx.rows(sql`INSERT INTO core_automations (tenant_id, id, name, model, trigger, actions, active)
        VALUES (${tenantId}::uuid, ${automation.id}::uuid, ${automation.name}, ${automation.model}, ${JSON.stringify(automation.trigger)}::jsonb,
          ${JSON.stringify(automation.actions)}::jsonb, ${automation.active}) RETURNING ${COLUMNS}`);
      await schedule(tx, tenantId, automation, request);
      await tx.commit();
      return created;
    });
    await changed(tenantId);
    return reply.code(201).send(row);
  });

  app.patch<{ Params: Params }>('/admin/automations/:id', async (request) => {
    const tenantId = tenantOf(request);
    const id = idOf(request);
    if (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))
      throw AtriumError.invalidField('body', 'type', 'must be an object');
    const row = await db.transaction(tenantId, async (tx) => {
      const [current] = await tx.rows<Automation>(
        sql`SELECT name, model, trigger, actions, active FROM core_automations WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`,
      );
      if (!current) throw AtriumError.notFound();
      const automation = { id, ...checkAutomation(request.session.schema, { ...current, ...(request.body as object) }, privateNetworks) };
      const [updated] = await tx.rows(sql`UPDATE core_automations SET name = ${automation.name}, model = ${automation.model},
        trigger = ${JSON.stringify(automation.trigger)}::jsonb, actions = ${JSON.stringify(automation.actions)}::jsonb,
        active = ${automation.active}, updated_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid RETURNING ${COLUMNS}`);
      await schedule(tx, tenantId, automation, request);
      await tx.commit();
      return updated;
    });
    await changed(tenantId);
    return row;
  });

  app.delete<{ Params: Params }>('/admin/automations/:id', async (request, reply) => {
    const tenantId = tenantOf(request);
    const [result] = await db.batch(tenantId, [
      sql`DELETE FROM core_automations WHERE tenant_id = ${tenantId}::uuid AND id = ${idOf(request)}::uuid`,
    ]);
    if (result.rowCount === 0) throw AtriumError.notFound();
    await changed(tenantId);
    return reply.code(204).send();
  });

  app.get<{ Params: Params }>('/admin/automations/:id/runs', async (request) => {
    const tenantId = tenantOf(request);
    const id = idOf(request);
    const [found, runs] = await db.batch(tenantId, [
      sql`SELECT 1 FROM core_automations WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid`,
      sql`SELECT id, at, record_id, status, error, depth FROM core_automation_runs
        WHERE tenant_id = ${tenantId}::uuid AND automation_id = ${id}::uuid ORDER BY at DESC, id LIMIT 200`,
    ]);
    if (found.rows.length === 0) throw AtriumError.notFound();
    return { data: runs.rows.map(({ error, ...run }) => (error === null ? run : { ...run, error })) };
  });

  app.get<{ Querystring: { status?: string } }>('/admin/automations/deliveries', async (request) => {
    const tenantId = tenantOf(request);
    const status = request.query.status;
    if (status !== undefined && !['pending', 'delivered', 'dead'].includes(status))
      throw AtriumError.invalidField('status', 'enum', 'must be pending, delivered or dead');
    const [result] = await db.batch(tenantId, [
      sql`SELECT d.id, d.automation_id, a.name AS automation, d.record_id, d.url, d.status, d.attempts, d.last_error, d.created_at,
          d.next_attempt_at, d.delivered_at
        FROM core_webhook_deliveries d JOIN core_automations a ON a.tenant_id = d.tenant_id AND a.id = d.automation_id
        WHERE d.tenant_id = ${tenantId}::uuid AND (${status ?? null}::text IS NULL OR d.status = ${status ?? null})
        ORDER BY d.created_at DESC, d.id LIMIT 200`,
    ]);
    return { data: result.rows };
  });

  /** A dead delivery sent again: its attempts start over. */
  app.post<{ Params: Params }>('/admin/automations/deliveries/:id/retry', async (request) => {
    const tenantId = tenantOf(request);
    const [result] = await db.batch(tenantId, [
      sql`UPDATE core_webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND id = ${idOf(request)}::uuid AND status = 'dead' RETURNING id, status`,
    ]);
    if (result.rows.length === 0) throw AtriumError.notFound('No dead delivery with this id');
    webhooks.wake();
    return result.rows[0];
  });
}
