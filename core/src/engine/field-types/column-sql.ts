import type { FieldDef } from '../../kernel/registry/registry-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { CUSTOM_COLUMN } from '../../kernel/system-fields.ts';
import { ident, literal, raw, sql, type Sql } from '../../store/sql.ts';

/**
 * The stored value of a field in the row aliased `alias`: its column, or for a custom field its key in
 * the row's `custom` jsonb (no alias: the bare expression, for an index), cast to the type's column type (so it compares, sorts, groups and sums like a
 * column; the same expression is what a custom field's index is built on: custom-field-index.ts).
 */
export function columnSql(field: FieldDef, alias?: Sql): Sql {
  const of = (column: Sql): Sql => (alias ? sql`${alias}.${column}` : column);
  if (!field.custom) return of(ident(field.column!));
  const key = raw(literal(field.name));
  const custom = of(raw(CUSTOM_COLUMN));
  const type = typeOf(field);
  if (type.kind === 'json') return sql`(${custom} -> ${key})`;
  return sql`((${custom} ->> ${key})::${raw(type.column!)})`;
}
