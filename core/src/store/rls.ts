import { ident, raw, sql, type Sql } from './sql.ts';
import { RUNTIME_ROLE } from './database.ts';

/**
 * Row-level security for a tenant table: forced (the owner is bound too), one policy on
 * core_current_tenant() for reads and writes, and plain DML rights for the runtime role.
 */
export function tenantTableSecurity(table: string): Sql[] {
  const t = ident(table);
  return [
    sql`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    sql`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    sql`CREATE POLICY tenant_isolation ON ${t} USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant())`,
    sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${raw(RUNTIME_ROLE)}`,
  ];
}

/** Tables (of those given) that do not yet have the tenant policy. */
export const tablesWithoutPolicy = (tables: string[]): Sql =>
  sql`SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = ANY(${tables}::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation')`;
