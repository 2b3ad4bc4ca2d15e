import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, join, raw, sql, type Sql } from '../../store/sql.ts';
import type { Condition } from '../../kernel/filter/filter-language.ts';
import { isSystemField } from '../../kernel/system-fields.ts';
import type { FieldType } from '../../kernel/field-types/field-type.ts';
import { typeOfField } from '../../kernel/field-types/registry.ts';
import { sqlOf } from '../field-types/sql-of.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { columnSql } from '../field-types/column-sql.ts';

const COMPARATORS = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** The SQL expression of a stored field of the row aliased `alias`. */
export function columnOf(model: ModelDef, alias: string, field: string): Sql {
  return isSystemField(field) ? sql`${ident(alias)}.${ident(field)}` : columnSql(model.fields[field], ident(alias));
}

function typed(value: unknown, type: FieldType): Sql {
  return type.cast ? sql`${value}::${raw(type.cast)}` : sql`${value}`;
}

function typedArray(values: unknown, type: FieldType): Sql {
  return sql`${values}::${raw(type.cast ?? 'text')}[]`;
}

/**
 * A parsed condition as a WHERE expression over the row aliased `alias`. Comparisons keep SQL's null
 * semantics (a null never equals), except that NOT treats unknown as false, as the in-memory matcher does.
 */
export function conditionToSql(model: ModelDef, alias: string, condition: Condition, schema: TenantSchema): Sql {
  switch (condition.kind) {
    case 'and':
    case 'or':
      if (condition.items.length === 0) return raw(condition.kind === 'and' ? 'TRUE' : 'FALSE');
      return sql`(${join(
        condition.items.map((c) => conditionToSql(model, alias, c, schema)),
        condition.kind === 'and' ? ' AND ' : ' OR ',
      )})`;
    case 'not':
      return sql`NOT coalesce(${conditionToSql(model, alias, condition.item, schema)}, FALSE)`;
    case 'compare': {
      const { field, op, value } = condition;
      const type = typeOfField(model, field)!;
      const own = isSystemField(field)
        ? undefined
        : sqlOf(model.fields[field]).filter?.(model.fields[field], ident(alias), op, value, schema);
      if (own) return own;
      const column = columnOf(model, alias, field);
      switch (op) {
        case 'null':
          return value ? sql`${column} IS NULL` : sql`${column} IS NOT NULL`;
        case 'ilike':
          return sql`${column} ILIKE ${value}`;
        case 'in':
          return sql`${column} = ANY(${typedArray(value, type)})`;
        case 'nin':
          return sql`(${column} IS NULL OR NOT ${column} = ANY(${typedArray(value, type)}))`;
        default:
          return sql`${column} ${raw(COMPARATORS[op])} ${typed(value, type)}`;
      }
    }
  }
}
