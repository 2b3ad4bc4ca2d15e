import { sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';
import { operatorAuditSql } from './operator-audit.ts';
import type { TenantStatus } from '@atrium/protocol';

/**
 * Suspends or resumes a tenant, audited in the same transaction; nothing of the tenant is touched but the
 * mark. Every node then drops the tenant's cached sessions (its users get 403 tenant_suspended at their next
 * request) and re-checks its sockets (closed with 4403). Returns false when the tenant already had that status.
 */
export async function setTenantStatus(
  platform: Pick<Platform, 'db' | 'bus'>,
  operator: string,
  tenantId: string,
  status: TenantStatus,
): Promise<boolean> {
  const suspend = status === 'suspended';
  const changed = await platform.db.transaction('system', async (tx) => {
    const [updated] = await tx.query(
      sql`UPDATE core_tenants SET suspended_at = ${suspend ? sql`now()` : sql`NULL`}
        WHERE id = ${tenantId}::uuid AND (suspended_at IS NULL) = ${suspend} RETURNING id`,
    );
    if (updated.rows.length === 0) return false;
    await tx.commit(operatorAuditSql(tenantId, operator, suspend ? 'suspend' : 'resume'));
    return true;
  });
  if (changed) await platform.bus.control({ kind: 'tenant', tenantId });
  return changed;
}
