import pg from 'pg';
import { RUNTIME_ROLE, ident, sql, type TestApp } from '@atrium/core/testing';

/** A table that holds tenants' rows, and the column naming the tenant (core_tenants is keyed by its id). */
export interface TenantTable {
  name: string;
  tenantColumn: 'tenant_id' | 'id';
}

/**
 * Every table of the database that holds tenant rows, read from the catalogue (not from the registry):
 * one the code forgot is found all the same.
 */
export async function tenantTables(app: TestApp): Promise<TenantTable[]> {
  const rows = await app.app.platform.db.system<{ name: string }>(sql`SELECT c.relname AS name FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
      AND c.relname <> 'core_tenants' -- its tenant_id is a copy of its id (migration 0009)
    ORDER BY 1`);
  return [{ name: 'core_tenants', tenantColumn: 'id' }, ...rows.map((r) => ({ name: r.name, tenantColumn: 'tenant_id' as const }))];
}

/**
 * Turns row-level security off on every table of this test file's database (the app keeps switching to
 * the runtime role, which then reads every tenant's rows): what a sweep sees afterwards is the
 * application's own tenant condition alone. `readsEveryTenant` proves, when asked, that it is still off.
 */
export async function turnOffRowSecurity(app: TestApp): Promise<{ readsEveryTenant(tenantId: string): Promise<boolean> }> {
  const { db } = app.app.platform;
  for (const table of await tenantTables(app)) {
    await db.system(sql`ALTER TABLE ${ident(table.name)} NO FORCE ROW LEVEL SECURITY`);
    await db.system(sql`ALTER TABLE ${ident(table.name)} DISABLE ROW LEVEL SECURITY`);
  }
  return {
    // Through the engine's own tenant transaction: inside tenant `tenantId`, the runtime role counts the users of every tenant.
    async readsEveryTenant(tenantId) {
      const [row] = await db.transaction(tenantId, (tx) =>
        tx.rows<{ tenants: number; role: string }>(
          sql`SELECT count(DISTINCT tenant_id)::int AS tenants, current_user AS role FROM core_users`,
        ),
      );
      return row.role === RUNTIME_ROLE && row.tenants > 1;
    },
  };
}

/**
 * A raw connection to the test file's database (as the owner), to run SQL as the runtime role exactly
 * as written: no condition of the application's is added.
 */
export async function rawConnection(app: TestApp): Promise<{
  /** The statement's result, run as the runtime role with `tenant` set (or none), in a transaction rolled back after. */
  asRuntimeRole(tenant: string | null, statement: string): Promise<pg.QueryResult>;
  /** The statement's result as the owner. */
  asOwner(statement: string): Promise<pg.QueryResult>;
  close(): Promise<void>;
}> {
  const client = new pg.Client({ connectionString: app.app.platform.db.url });
  await client.connect();
  return {
    async asRuntimeRole(tenant, statement) {
      // One message: a transaction is never left open while the test awaits (PGlite serializes connections).
      try {
        const results = (await client.query(
          `BEGIN; SET LOCAL ROLE ${RUNTIME_ROLE}; SELECT set_config('app.tenant_id', '${tenant ?? ''}', true); ${statement}; ROLLBACK`,
        )) as unknown as pg.QueryResult[];
        return results[3];
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    asOwner: (statement) => client.query(statement),
    close: () => client.end(),
  };
}
