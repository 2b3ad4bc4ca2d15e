import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import type { PlatformConfig } from '../config.ts';
import { StartupError } from '../errors.ts';
import type { Registry } from '../manifest/registry.ts';
import { createBus } from '../events/create-bus.ts';
import { Sessions } from '../tenancy/sessions.ts';
import { TenantSchemas } from '../tenancy/tenant-schema.ts';
import type { Platform } from '../platform.ts';
import { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { sql } from './sql.ts';

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
  }
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** The owner role runs migrations, logins across tenants and event dispatch: it must not be bound by RLS. */
async function checkOwnerRole(db: Database): Promise<void> {
  const [role] = await db.system<{ ok: boolean; name: string }>(sql`SELECT rolsuper OR rolbypassrls AS ok, rolname AS name FROM pg_roles WHERE rolname = current_user`);
  if (!role?.ok) throw new StartupError([`database: the role "${role?.name}" of DATABASE_URL must be a superuser or have BYPASSRLS (it owns the tables and runs migrations; requests run as the restricted role atrium_app)`]);
}

/** Opens the database (PostgreSQL or embedded PGlite), migrates it, and builds the shared services. */
async function database(app: FastifyInstance, options: { config: PlatformConfig; registry: Registry }): Promise<void> {
  const { config, registry } = options;
  const db = await Database.open(config.database, (error) =>
    app.log.warn({ err: error }, 'database connection lost'),
  );
  app.addHook('onClose', async () => db.close());
  await checkOwnerRole(db);
  await migrate(db, registry, MIGRATIONS_DIR, app.log);
  const bus = createBus(db, config.events, (error) => app.log.warn({ err: error }, 'event transport connection lost'));
  await bus.start();
  app.addHook('onClose', async () => bus.stop());
  const schemas = new TenantSchemas(registry);
  const sessions = new Sessions(db, schemas);
  bus.onControl((message) => sessions.invalidate(message));
  app.decorate('platform', { config, registry, schemas, db, bus, sessions, log: app.log });
  app.log.info({ database: db.kind, modules: [...registry.modules.keys()] }, 'database ready');
}

export default fp(database, { name: 'atrium-db', dependencies: ['atrium-errors'] });
