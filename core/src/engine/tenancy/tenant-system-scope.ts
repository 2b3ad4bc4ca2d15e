import type { TenantInfo } from '../../kernel/module-api.ts';
import { sql } from '../../store/sql.ts';
import type { Transaction } from '../../store/database.ts';
import { recordScope, type Platform } from '../platform.ts';
import type { RecordScope } from '../records/record-context.ts';

/**
 * The core acting inside a tenant, outside any request (mail accepted, a time-based automation): the
 * tenant and its enabled modules as the transaction reads them, no user, no ability (tenant isolation and
 * row-level security still apply).
 */
export async function tenantSystemScope(platform: Platform, tx: Transaction, tenantId: string): Promise<RecordScope> {
  const [tenantRows, moduleRows] = await tx.query(
    sql`SELECT id, slug, name, currency, locale FROM core_tenants WHERE id = ${tenantId}::uuid`,
    sql`SELECT module FROM core_tenant_modules WHERE tenant_id = ${tenantId}::uuid AND enabled`,
  );
  const schema = platform.schemas.for(moduleRows.rows.map((r) => r.module as string));
  return recordScope(platform, { tenant: tenantRows.rows[0] as TenantInfo, schema });
}
