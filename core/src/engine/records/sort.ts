import { AtriumError } from '../../kernel/errors.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { ident, join, raw, sql, type Sql } from '../../store/sql.ts';
import { isSystemField } from '../../kernel/system-fields.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { sqlOf } from '../field-types/sql-of.ts';
import { columnSql } from '../field-types/column-sql.ts';

export interface SortKey {
  field: string;
  descending: boolean;
}

/**
 * System columns that are NOT NULL: sorted with a plain direction, no NULLS clause, so that the
 * (tenant_id, created_at) index serves "newest first" (an index scanned backwards gives DESC NULLS FIRST;
 * DESC NULLS LAST would sort the tenant's whole table for every page).
 */
const NOT_NULL = new Set(['id', 'version', 'created_at', 'updated_at']);

/** Parses `-updated_at,name`; every field must exist, be sortable and (for clients) readable. */
export function parseSort(model: ModelDef, text: string, allowed?: (field: string) => boolean): SortKey[] {
  const keys = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (keys.length === 0 || keys.length > 5)
    throw AtriumError.invalidField('sort', 'format', 'lists 1 to 5 fields, e.g. "-updated_at,name"');
  return keys.map((part) => {
    const field = part.replace(/^[-+]/, '');
    const system = isSystemField(field);
    // System fields are on every record and readable by whoever reads it ("sort=-updated_at", docs/api.md).
    if (!(system || Object.hasOwn(model.fields, field)) || (allowed && !system && !allowed(field)))
      throw AtriumError.invalidField(`sort.${field}`, 'field', `unknown field "${field}"`);
    if (!system && !typeOf(model.fields[field]).sortable)
      throw AtriumError.invalidField(`sort.${field}`, 'field', `cannot sort on a ${model.fields[field].type} field`);
    return { field, descending: part.startsWith('-') };
  });
}

/** ORDER BY for the row aliased `alias`: a many2one sorts by its display; the id breaks ties so pages are stable. */
export function sortSql(schema: TenantSchema, model: ModelDef, alias: string, keys: SortKey[]): Sql {
  const a = ident(alias);
  const parts = keys.map(({ field, descending }) => {
    if (NOT_NULL.has(field)) return sql`${a}.${ident(field)}${raw(descending ? ' DESC' : ' ASC')}`;
    const dir = raw(descending ? ' DESC NULLS LAST' : ' ASC NULLS FIRST');
    if (isSystemField(field)) return sql`${a}.${ident(field)}${dir}`;
    const def = model.fields[field];
    return sql`${sqlOf(def).sort?.(schema, def, a) ?? columnSql(def, a)}${dir}`;
  });
  if (!keys.some((k) => k.field === 'id')) parts.push(sql`${a}.id`);
  return join(parts, ', ');
}

/** The model's declared default order (checked at start-up). */
export function orderBy(schema: TenantSchema, model: ModelDef, alias: string, order: string): Sql {
  return sortSql(schema, model, alias, parseSort(model, order));
}
