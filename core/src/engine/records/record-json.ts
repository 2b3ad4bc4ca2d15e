import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { ident, join, literal, raw, sql, type Sql } from '../../store/sql.ts';
import { sqlOf } from '../field-types/sql-of.ts';
import { orderBy } from './sort.ts';
import { columnSql } from '../field-types/column-sql.ts';

export interface JsonOptions {
  /** Declared fields to include (default: all but one2many). */
  fields?: string[];
  /** Include one2many fields as lists of records (a single record's read). */
  lines?: boolean;
  /** Decimal places of money in the tenant's currency. */
  precision: number;
}

const SYSTEM: [string, string][] = [
  ['id', 'id'],
  ['version', 'version'],
  ['created_at', 'created_at'],
  ['updated_at', 'updated_at'],
  ['created_by', 'created_by'],
  ['updated_by', 'updated_by'],
];

function valueOf(schema: TenantSchema, a: string, field: FieldDef, options: JsonOptions, depth: number): Sql {
  const alias = ident(a);
  const read = sqlOf(field).read;
  if (!read) return columnSql(field, alias);
  return read(field, alias, {
    schema,
    precision: options.precision,
    depth,
    record: (target, l, next) => recordJson(schema, target, l, { precision: options.precision }, next),
    order: (target, l) => orderBy(schema, target, l, target.order),
  });
}

/**
 * The row aliased `alias` as the API returns it, built by PostgreSQL in the same statement: many2one as
 * {id, display}, many2many as a list of those, one2many as a list of records, money as an exact string.
 */
export function recordJson(schema: TenantSchema, model: ModelDef, alias: string, options: JsonOptions, depth = 0): Sql {
  const a = ident(alias);
  // Keys are part of the statement's text (field names from validated manifests, quoted as literals), not values.
  const key = (name: string): Sql => raw(literal(name));
  const pairs: Sql[] = SYSTEM.map(([name, column]) => sql`${key(name)}, ${a}.${ident(column)}`);
  const names =
    options.fields ??
    Object.values(model.fields)
      .filter((f) => typeOf(f).kind !== 'lines' || options.lines)
      .map((f) => f.name);
  for (const name of names) pairs.push(sql`${key(name)}, ${valueOf(schema, alias, model.fields[name], options, depth)}`);
  // json_build_object takes at most 100 arguments: big models are built in chunks and merged.
  const chunks: Sql[] = [];
  for (let i = 0; i < pairs.length; i += 40) chunks.push(sql`json_build_object(${join(pairs.slice(i, i + 40), ', ')})`);
  return chunks.length === 1
    ? chunks[0]
    : sql`(${join(
        chunks.map((c) => sql`${c}::jsonb`),
        ' || ',
      )})::json`;
}
