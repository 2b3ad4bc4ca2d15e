import { ident, join, raw, sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';
import { operatorAuditSql } from './operator-audit.ts';

/** Columns no export carries: secrets of the users. */
const SECRET_COLUMNS = ['password_hash', 'email_verification_hash'];

export interface TenantExport {
  format: 'atrium-tenant-export';
  exported_at: string;
  tenant: Record<string, unknown>;
  /** Every table holding the tenant's rows (found in the catalogue), each as a list of rows. */
  tables: Record<string, Record<string, unknown>[]>;
}

/**
 * Everything a tenant holds, as JSON: one statement (one snapshot) over every table with a tenant_id column,
 * audited in the same transaction. Binary values come out as PostgreSQL's hex text.
 */
export async function exportTenant(platform: Pick<Platform, 'db'>, operator: string, tenantId: string): Promise<TenantExport | undefined> {
  const tables = await platform.db.system<{ name: string }>(sql`SELECT c.relname AS name FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname <> 'core_tenants'
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    ORDER BY 1`);
  const hidden = raw(SECRET_COLUMNS.map((c) => ` - '${c}'`).join(''));
  const parts = tables.map(
    ({ name }) =>
      sql`SELECT ${name}::text AS name, coalesce(json_agg(to_jsonb(x)${hidden}), '[]'::json) AS rows FROM ${ident(name)} x WHERE x.tenant_id = ${tenantId}::uuid`,
  );
  return platform.db.transaction('system', async (tx) => {
    const [tenant] = await tx.query(sql`SELECT to_jsonb(t) AS row FROM core_tenants t WHERE t.id = ${tenantId}::uuid`);
    if (tenant.rows.length === 0) return undefined;
    const [contents] = await tx.query(join(parts, ' UNION ALL '));
    await tx.commit(operatorAuditSql(tenantId, operator, 'export', { tables: tables.length }));
    return {
      format: 'atrium-tenant-export',
      exported_at: new Date().toISOString(),
      tenant: tenant.rows[0].row as Record<string, unknown>,
      tables: Object.fromEntries(contents.rows.map((r) => [r.name as string, r.rows as Record<string, unknown>[]])),
    };
  });
}
