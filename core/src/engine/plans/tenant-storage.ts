import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';

/**
 * Keeps the tenant's storage as just measured (its records' and history's bytes, by the usage page or the
 * plan's summary), for the plan's storage limit: writes are judged against the last measure, since
 * measuring on every write would scan all the tenant holds. As the owner: the runtime role may not write it.
 */
export async function rememberStorage(db: Database, tenantId: string, bytes: number): Promise<void> {
  await db.system(sql`UPDATE core_tenants SET storage_bytes = ${bytes}::bigint WHERE id = ${tenantId}::uuid`);
}
