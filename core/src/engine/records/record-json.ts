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

/** Built fragments per tenant schema and model: a schema changes by being replaced, so they never go stale. */
const built = new WeakMap<TenantSchema, WeakMap<ModelDef, Map<string, Sql>>>();
/** Shapes kept per model: `fields` comes from clients, so the variety is bounded. */
const SHAPES_PER_MODEL = 64;

/**
 * The row aliased `alias` as the API returns it, built by PostgreSQL in the same statement: many2one as
 * {id, display}, many2many as a list of those, one2many as a list of records, money as an exact string.
 * The fragment depends on nothing but its arguments, and a write builds the same one for every event:
 * it is built once per shape (a record's JSON with its relations is dozens of fragments joined).
 */
export function recordJson(schema: TenantSchema, model: ModelDef, alias: string, options: JsonOptions, depth = 0): Sql {
  let byModel = built.get(schema);
  if (!byModel) built.set(schema, (byModel = new WeakMap()));
  let shapes = byModel.get(model);
  if (!shapes) byModel.set(model, (shapes = new Map()));
  const key = `${alias}|${depth}|${options.lines ? 1 : 0}|${options.precision}|${options.fields?.join(',') ?? '*'}`;
  let json = shapes.get(key);
  if (!json) {
    json = buildRecordJson(schema, model, alias, options, depth);
    if (shapes.size < SHAPES_PER_MODEL) shapes.set(key, json);
  }
  return json;
}

function buildRecordJson(schema: TenantSchema, model: ModelDef, alias: string, options: JsonOptions, depth: number): Sql {
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
