/** What the core and the operator's shell share about tenants (docs/api.md, "The operator"). */

export type TenantStatus = 'active' | 'suspended';

/** One tenant as the operator sees it: `GET /api/operator/tenants` (times as ISO strings). */
export interface OperatorTenant {
  id: string;
  name: string;
  slug: string;
  plan: string;
  status: TenantStatus;
  users: number;
  records: number;
  created_at: string;
  /** The last write of the tenant's users (its event log), or null. */
  last_activity_at: string | null;
  billing_grace_until: string | null;
}

export type OperatorAction = 'plan' | 'suspend' | 'resume' | 'export';

/** One operator action on a tenant: `GET /api/operator/audit`. */
export interface OperatorAuditEntry {
  id: string;
  tenant_id: string;
  at: string;
  operator: string;
  action: OperatorAction;
  details: Record<string, unknown>;
}
