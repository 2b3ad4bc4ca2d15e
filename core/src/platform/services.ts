import type { FastifyBaseLogger } from 'fastify';
import type { PlatformConfig } from '../kernel/config.ts';
import { StartupError } from '../kernel/errors.ts';
import type { Registry } from '../kernel/registry/registry.ts';
import { TenantSchemas } from '../kernel/registry/tenant-registry.ts';
import { Database } from '../store/database.ts';
import { MIGRATIONS_DIR, migrate } from '../store/migrate.ts';
import { sql } from '../store/sql.ts';
import type { Platform } from '../engine/platform.ts';
import { Sessions } from '../engine/tenancy/sessions.ts';
import { createBus } from '../realtime/create-bus.ts';

/** The owner role runs migrations, logins across tenants and event dispatch: it must not be bound by RLS. */
async function checkOwnerRole(db: Database): Promise<void> {
  const [role] = await db.system<{ ok: boolean; name: string }>(sql`SELECT rolsuper OR rolbypassrls AS ok, rolname AS name FROM pg_roles WHERE rolname = current_user`);
  if (!role?.ok) throw new StartupError([`database: the role "${role?.name}" of DATABASE_URL must be a superuser or have BYPASSRLS (it owns the tables and runs migrations; requests run as the restricted role atrium_app)`]);
}

/**
 * Opens the database (PostgreSQL or embedded PGlite), migrates it, and builds the services every layer
 * above shares: the event bus, the per-tenant model registries and the session cache.
 */
export async function openPlatform(config: PlatformConfig, registry: Registry, log: FastifyBaseLogger): Promise<{ platform: Platform; close(): Promise<void> }> {
  const db = await Database.open(config.database, (error) => log.warn({ err: error }, 'database connection lost'));
  try {
    await checkOwnerRole(db);
    await migrate(db, registry, MIGRATIONS_DIR, log);
  } catch (error) {
    await db.close();
    throw error;
  }
  const bus = createBus(db, config.events, (error) => log.warn({ err: error }, 'event transport connection lost'));
  await bus.start();
  const schemas = new TenantSchemas(registry);
  const sessions = new Sessions(db, schemas);
  bus.onControl((message) => sessions.invalidate(message));
  log.info({ database: db.kind, modules: [...registry.modules.keys()] }, 'database ready');
  return {
    platform: { config, registry, schemas, db, bus, sessions, log },
    async close() {
      await bus.stop();
      await db.close();
    },
  };
}
