import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../errors.ts';
import { sql } from '../db/sql.ts';
import type { Registry } from '../manifest/registry.ts';
import { loadModuleData } from '../tenancy/module-data.ts';

const toggleBody = { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } };

const enabledSql = (tenantId: string) => sql`SELECT module FROM core_tenant_modules WHERE tenant_id = ${tenantId}::uuid AND enabled`;
const moduleSet = (rows: Record<string, unknown>[]): Set<string> => new Set(rows.map((r) => r.module as string));

/**
 * Dependencies are closed over both ways: a module goes on only with everything it depends on, and off
 * only when no enabled module depends on it. A 409 names the modules in the way.
 */
function checkToggle(registry: Registry, enabled: Set<string>, name: string, on: boolean): void {
  const blocking = on
    ? [...registry.dependencyClosure(name)].filter((dep) => !enabled.has(dep))
    : [...enabled].filter((other) => registry.dependencyClosure(other).has(name));
  if (blocking.length === 0) return;
  const list = blocking.sort().join(', ');
  throw AtriumError.conflict(on ? `Enable ${list} first: ${name} depends on it` : `Disable ${list} first: it depends on ${name}`, { modules: blocking.sort() });
}

/** `GET /api/admin/modules` and `PUT /api/admin/modules/NAME` (API.md): a tenant turns shipped modules on and off. */
export default async function modulesRoutes(app: FastifyInstance): Promise<void> {
  const { platform } = app;
  const { db, bus, registry, schemas } = platform;
  const describe = (name: string, enabled: Set<string>) => {
    const { manifest } = registry.modules.get(name)!;
    return { name, label: manifest.label, version: manifest.version, depends: manifest.depends ?? [], enabled: enabled.has(name) };
  };
  const enabledNow = async (tenantId: string) => moduleSet((await db.batch(tenantId, [enabledSql(tenantId)]))[0].rows);

  app.get('/admin/modules', async (request) => {
    const enabled = await enabledNow(request.session.tenant.id);
    return { data: [...registry.modules.keys()].map((name) => describe(name, enabled)) };
  });

  app.put<{ Params: { name: string }; Body: { enabled: boolean } }>('/admin/modules/:name', { schema: { body: toggleBody } }, async (request) => {
    const { name } = request.params;
    const on = request.body.enabled;
    const { tenant } = request.session;
    const module = registry.modules.get(name);
    if (!module) throw AtriumError.notFound(`Unknown module "${name}"`);
    const before = await enabledNow(tenant.id);
    checkToggle(registry, before, name, on);
    // Seed data goes in first (once per tenant: records already loaded are skipped by key), so the
    // module is never on without it.
    if (on) await loadModuleData(platform, tenant, schemas.for([...before, name]), module, 'data');
    const after = await db.transaction(tenant.id, async (tx) => {
      // One module change at a time per tenant, checked again under the lock.
      await tx.query(sql`SELECT 1 FROM core_tenants WHERE id = ${tenant.id}::uuid FOR UPDATE`);
      const enabled = moduleSet(await tx.rows(enabledSql(tenant.id)));
      checkToggle(registry, enabled, name, on);
      await tx.commit(sql`INSERT INTO core_tenant_modules (tenant_id, module, enabled) VALUES (${tenant.id}::uuid, ${name}, ${on})
        ON CONFLICT (tenant_id, module) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`);
      if (on) enabled.add(name);
      else enabled.delete(name);
      return enabled;
    });
    await bus.control({ kind: 'tenant', tenantId: tenant.id });
    return describe(name, after);
  });
}
