import { sql, type Sql } from '../../store/sql.ts';

/** The columns of core_custom_fields that make a definition (CustomFieldRow), in the API's order. */
const COLUMNS = sql`id, model, name, type, label, help, required, default_value, options, model_ref`;

/** The tenant's custom fields in force (what its TenantSchema is built with), in a stable order. */
export const activeCustomFieldsSql = (tenantId: string): Sql =>
  sql`SELECT ${COLUMNS} FROM core_custom_fields WHERE tenant_id = ${tenantId}::uuid AND active ORDER BY model, created_at, name`;

/** One definition, removed or not, by id or by model and name. */
export const customFieldSql = (tenantId: string, where: { id: string } | { model: string; name: string }): Sql =>
  'id' in where
    ? sql`SELECT ${COLUMNS}, active FROM core_custom_fields WHERE tenant_id = ${tenantId}::uuid AND id = ${where.id}::uuid FOR UPDATE`
    : sql`SELECT ${COLUMNS}, active FROM core_custom_fields WHERE tenant_id = ${tenantId}::uuid AND model = ${where.model} AND name = ${where.name} FOR UPDATE`;
