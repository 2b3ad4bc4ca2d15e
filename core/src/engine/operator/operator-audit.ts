import { sql, type Sql } from '../../store/sql.ts';
import type { Database } from '../../store/database.ts';
import type { OperatorAction, OperatorAuditEntry } from '@atrium/protocol';

/** The audit row of one operator action on one tenant, written in the action's own transaction (as the owner). */
export const operatorAuditSql = (tenantId: string, operator: string, action: OperatorAction, details: object = {}): Sql =>
  sql`INSERT INTO core_operator_audit (tenant_id, operator, action, details) VALUES (${tenantId}::uuid, ${operator}, ${action}, ${JSON.stringify(details)}::jsonb)`;

/** The latest operator actions, newest first (of one tenant, or of all). */
export async function operatorAudit(db: Database, tenantId?: string): Promise<OperatorAuditEntry[]> {
  return db.system<OperatorAuditEntry>(sql`SELECT id, tenant_id, at, operator, action, details FROM core_operator_audit
    WHERE ${tenantId === undefined ? sql`true` : sql`tenant_id = ${tenantId}::uuid`} ORDER BY at DESC, id LIMIT 500`);
}
