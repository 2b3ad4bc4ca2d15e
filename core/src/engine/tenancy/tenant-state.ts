import type { ViewPatchManifest } from '../../kernel/manifest/manifest-types.ts';
import type { TenantInfo } from '../../kernel/module-api.ts';
import type { CustomFieldRow } from '../../kernel/registry/custom-fields.ts';
import type { TenantSchema, TenantSchemas, TenantViewPatches } from '../../kernel/registry/tenant-registry.ts';
import { sql, type Sql } from '../../store/sql.ts';
import { activeCustomFieldsSql } from '../customization/custom-field-store.ts';

/** A tenant as the core works in it: its row, and its schema (enabled modules, custom fields, view patches). */
export interface TenantState {
  tenant: TenantInfo;
  suspended: boolean;
  /** The plan's name as stored (null: the default plan). */
  plan: string | null;
  schema: TenantSchema;
}

/** The statements that read a tenant's state, to send with others in one round trip (see tenantStateOf). */
export const tenantStateSql = (tenantId: string): Sql[] => [
  sql`SELECT id, slug, name, currency, locale, suspended_at IS NOT NULL AS suspended, plan FROM core_tenants WHERE id = ${tenantId}::uuid`,
  sql`SELECT module FROM core_tenant_modules WHERE tenant_id = ${tenantId}::uuid AND enabled`,
  activeCustomFieldsSql(tenantId),
  sql`SELECT view, patches FROM core_view_patches WHERE tenant_id = ${tenantId}::uuid AND patches <> '[]'::jsonb`,
];

type Rows = { rows: Record<string, unknown>[] };

/** The results of tenantStateSql, in its order; undefined when there is no such tenant. */
export function tenantStateOf(
  schemas: TenantSchemas,
  tenantId: string,
  [tenantRows, moduleRows, customRows, patchRows]: Rows[],
): TenantState | undefined {
  const row = tenantRows.rows[0] as unknown as (TenantInfo & { suspended: boolean; plan: string | null }) | undefined;
  if (!row) return undefined;
  const { suspended, plan, ...tenant } = row;
  const schema = schemas.forTenant(
    tenantId,
    moduleRows.rows.map((r) => r.module as string),
    customRows.rows as unknown as CustomFieldRow[],
    Object.fromEntries(patchRows.rows.map((r) => [r.view as string, r.patches as ViewPatchManifest[]])) as TenantViewPatches,
  );
  return { tenant, suspended, plan, schema };
}
