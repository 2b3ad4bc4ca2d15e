import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { sql } from '../../store/sql.ts';
import type { LoadedModule } from '../../kernel/registry/registry-types.ts';
import { ModuleData } from '../../engine/tenancy/module-data.ts';
import { planNamed } from '../../kernel/plans.ts';
import { requestRecords } from '../request-records.ts';

const toggleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['enabled'],
  properties: { enabled: { type: 'boolean' } },
} as const;

const describe = (module: LoadedModule, enabled: boolean) => ({
  name: module.name,
  label: module.manifest.label,
  version: module.manifest.version,
  depends: module.manifest.depends ?? [],
  description: module.manifest.description ?? null,
  enabled,
});

/**
 * `/api/admin/modules`: a tenant admin turns modules on and off, at once, for their tenant only.
 * Dependencies hold both ways (409 naming the blocking modules). Turning a module off keeps every row;
 * turning it on again brings them back; seed data loads the first time only, with the switch.
 */
export default async function modulesRoutes(app: FastifyInstance): Promise<void> {
  const { registry, bus, schemas, config } = app.platform;

  app.get('/admin/modules', async (request) => ({
    data: [...registry.modules.values()].map((m) => describe(m, request.session.schema.enabled.has(m.name))),
  }));

  app.put<{ Params: { name: string }; Body: { enabled: boolean } }>(
    '/admin/modules/:name',
    { schema: { body: toggleBody } },
    async (request) => {
      const module = registry.modules.get(request.params.name);
      if (!module) throw AtriumError.notFound(`Unknown module "${request.params.name}"`);
      const { tenant } = request.session;
      const { enabled } = request.body;
      const { write } = requestRecords(request);
      const cursor = await write.coreTransaction(async (unit) => {
        const { tx } = unit;
        // One toggle at a time per tenant, judged on the state inside the transaction. (NO KEY: a write
        // inserting a row that references the tenant, holding the module's row, does not deadlock with it.)
        const [locked, rows] = await tx.query(
          sql`SELECT plan FROM core_tenants WHERE id = ${tenant.id}::uuid FOR NO KEY UPDATE`,
          sql`SELECT module FROM core_tenant_modules WHERE tenant_id = ${tenant.id}::uuid AND enabled`,
        );
        const on = new Set(rows.rows.map((r) => r.module as string));
        // A plan below the modules on already keeps them on: it refuses switching on one more.
        const max = planNamed(config.plans, locked.rows[0].plan as string | null).limits.modules;
        if (enabled && !on.has(module.name) && max !== null && on.size >= max)
          throw AtriumError.planLimit([{ limit: 'modules', max, current: on.size }]);
        const blocking = enabled
          ? (module.manifest.depends ?? []).filter((dep) => !on.has(dep))
          : [...on].filter((other) => registry.modules.get(other)?.manifest.depends?.includes(module.name));
        if (blocking.length > 0) {
          const message = enabled
            ? `Turn on ${blocking.join(', ')} first: ${module.name} depends on ${blocking.length > 1 ? 'them' : 'it'}`
            : `Turn off ${blocking.join(', ')} first: ${blocking.length > 1 ? 'they depend' : 'it depends'} on ${module.name}`;
          throw AtriumError.conflict(message, { blocking });
        }
        const author = request.session.user.id;
        // xmax = 0: the row was inserted (the module's first switch for this tenant), not updated.
        const toggle = sql`INSERT INTO core_tenant_modules (tenant_id, module, enabled, created_by, updated_by) VALUES (${tenant.id}::uuid, ${module.name}, ${enabled}, ${author}::uuid, ${author}::uuid)
        ON CONFLICT (tenant_id, module) DO UPDATE SET enabled = EXCLUDED.enabled, version = core_tenant_modules.version + 1, updated_at = now(), updated_by = EXCLUDED.updated_by
        RETURNING id, seeded_at, (xmax = 0) AS inserted`;
        // The module's row is now locked: writes of the module in flight have committed, later ones will be
        // refused (see moduleOnSql). Every event written before the switch is at or below this cursor.
        const [toggled, position] = await tx.query(toggle, sql`SELECT last FROM core_event_cursors WHERE tenant_id = ${tenant.id}::uuid`);
        const row = toggled.rows[0] as { id: string; seeded_at: string | null; inserted: boolean };
        write.touched(unit, 'core.module', row.id, row.inserted ? 'created' : 'updated', ['enabled']);
        if (enabled && row.seeded_at === null) {
          // Seed data loads in the same transaction: a module whose data fails to load stays off, with none of
          // it and no event of the switch.
          await write.flushEvents(unit);
          const data = new ModuleData(app.platform, tx, tenant, schemas.for([...on, module.name]));
          await data.load(module, 'data');
          await data.commit();
        } else {
          await write.commitWithResults(unit);
        }
        return Number(position.rows[0].last);
      });
      await bus.control({ kind: 'tenant', tenantId: tenant.id, cursor });
      return describe(module, enabled);
    },
  );
}
