import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, join, raw, sql, type Sql } from '../../store/sql.ts';
import type { Condition } from '../../kernel/filter/filter-language.ts';
import { SYSTEM_FIELDS } from '../../kernel/system-fields.ts';

const CASTS: Record<string, string> = {
  uuid: 'uuid', many2one: 'uuid', many2many: 'uuid', date: 'date', datetime: 'timestamptz', timestamp: 'timestamptz', money: 'numeric',
  integer: 'int', number: 'float8', boolean: 'boolean',
};
const COMPARATORS = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function typeOf(model: ModelDef, field: string): string {
  return Object.hasOwn(SYSTEM_FIELDS, field) ? SYSTEM_FIELDS[field] : model.fields[field].type;
}

/** The SQL expression of a stored field of the row aliased `alias`. */
export function columnOf(model: ModelDef, alias: string, field: string): Sql {
  const column = Object.hasOwn(SYSTEM_FIELDS, field) ? field : model.fields[field].column!;
  return sql`${ident(alias)}.${ident(column)}`;
}

function typed(value: unknown, type: string): Sql {
  const cast = CASTS[type];
  return cast ? sql`${value}::${raw(cast)}` : sql`${value}`;
}

function typedArray(values: unknown, type: string): Sql {
  return sql`${values}::${raw(CASTS[type] ?? 'text')}[]`;
}

function many2many(model: ModelDef, alias: string, field: string, op: string, value: unknown): Sql {
  const rel = model.fields[field].relTable!;
  const a = ident(alias);
  const any = (extra: Sql): Sql => sql`EXISTS (SELECT 1 FROM ${ident(rel)} r WHERE r.tenant_id = ${a}.tenant_id AND r.source_id = ${a}.id${extra})`;
  switch (op) {
    case 'eq': return any(sql` AND r.target_id = ${value}::uuid`);
    case 'ne': return sql`NOT ${any(sql` AND r.target_id = ${value}::uuid`)}`;
    case 'in': return any(sql` AND r.target_id = ANY(${value}::uuid[])`);
    case 'nin': return sql`NOT ${any(sql` AND r.target_id = ANY(${value}::uuid[])`)}`;
    default: return value ? sql`NOT ${any(raw(''))}` : any(raw(''));
  }
}

/**
 * A parsed condition as a WHERE expression over the row aliased `alias`. Comparisons keep SQL's null
 * semantics (a null never equals), except that NOT treats unknown as false, as the in-memory matcher does.
 */
export function conditionToSql(model: ModelDef, alias: string, condition: Condition): Sql {
  switch (condition.kind) {
    case 'and':
    case 'or':
      if (condition.items.length === 0) return raw(condition.kind === 'and' ? 'TRUE' : 'FALSE');
      return sql`(${join(condition.items.map((c) => conditionToSql(model, alias, c)), condition.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return sql`NOT coalesce(${conditionToSql(model, alias, condition.item)}, FALSE)`;
    case 'compare': {
      const { field, op, value } = condition;
      const type = typeOf(model, field);
      if (type === 'many2many') return many2many(model, alias, field, op, value);
      const column = columnOf(model, alias, field);
      switch (op) {
        case 'null': return value ? sql`${column} IS NULL` : sql`${column} IS NOT NULL`;
        case 'ilike': return sql`${column} ILIKE ${value}`;
        case 'in': return sql`${column} = ANY(${typedArray(value, type)})`;
        case 'nin': return sql`(${column} IS NULL OR NOT ${column} = ANY(${typedArray(value, type)}))`;
        default: return sql`${column} ${raw(COMPARATORS[op])} ${typed(value, type)}`;
      }
    }
  }
}
