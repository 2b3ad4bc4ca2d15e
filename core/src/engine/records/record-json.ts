import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { ident, join, literal, raw, sql, type Sql } from '../../store/sql.ts';
import { orderBy } from './sort.ts';

export interface JsonOptions {
  /** Declared fields to include (default: all but one2many). */
  fields?: string[];
  /** Include one2many fields as lists of records (a single record's read). */
  lines?: boolean;
  /** Decimal places of money in the tenant's currency. */
  precision: number;
}

const SYSTEM: [string, string][] = [['id', 'id'], ['version', 'version'], ['created_at', 'created_at'], ['updated_at', 'updated_at'], ['created_by', 'created_by'], ['updated_by', 'updated_by']];

/** The display value of the target row aliased `x` (null when the model declares none). */
function displayOf(target: ModelDef, x: Sql): Sql {
  if (!target.display) return raw('NULL');
  const field = target.fields[target.display];
  return sql`${x}.${ident(field.column!)}::text`;
}

function valueOf(schema: TenantSchema, model: ModelDef, a: string, field: FieldDef, options: JsonOptions, depth: number): Sql {
  const alias = ident(a);
  if (field.type === 'money') return sql`round(${alias}.${ident(field.column!)}, ${raw(String(options.precision))})::text`;
  if (field.type === 'many2one') {
    const target = schema.model(field.target!)!;
    const col = sql`${alias}.${ident(field.column!)}`;
    return sql`CASE WHEN ${col} IS NULL THEN NULL ELSE json_build_object('id', ${col}, 'display', (SELECT ${displayOf(target, raw('x'))} FROM ${ident(target.table)} x WHERE x.tenant_id = ${alias}.tenant_id AND x.id = ${col})) END`;
  }
  if (field.type === 'many2many') {
    const target = schema.model(field.target!)!;
    const display = displayOf(target, raw('x'));
    return sql`(SELECT coalesce(json_agg(json_build_object('id', r.target_id, 'display', ${display}) ORDER BY ${display}, r.target_id), '[]'::json)
      FROM ${ident(field.relTable!)} r JOIN ${ident(target.table)} x ON x.tenant_id = r.tenant_id AND x.id = r.target_id
      WHERE r.tenant_id = ${alias}.tenant_id AND r.source_id = ${alias}.id)`;
  }
  if (field.type === 'one2many') {
    const target = schema.model(field.target!)!;
    const l = `l${depth}`;
    const inverse = target.fields[field.inverse!];
    return sql`(SELECT coalesce(json_agg(${recordJson(schema, target, l, { precision: options.precision }, depth + 1)} ORDER BY ${orderBy(schema, target, l, target.order)}), '[]'::json)
      FROM ${ident(target.table)} ${ident(l)} WHERE ${ident(l)}.tenant_id = ${alias}.tenant_id AND ${ident(l)}.${ident(inverse.column!)} = ${alias}.id)`;
  }
  return sql`${alias}.${ident(field.column!)}`;
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
  const names = options.fields ?? Object.values(model.fields).filter((f) => f.type !== 'one2many' || options.lines).map((f) => f.name);
  for (const name of names) pairs.push(sql`${key(name)}, ${valueOf(schema, model, alias, model.fields[name], options, depth)}`);
  // json_build_object takes at most 100 arguments: big models are built in chunks and merged.
  const chunks: Sql[] = [];
  for (let i = 0; i < pairs.length; i += 40) chunks.push(sql`json_build_object(${join(pairs.slice(i, i + 40), ', ')})`);
  return chunks.length === 1 ? chunks[0] : sql`(${join(chunks.map((c) => sql`${c}::jsonb`), ' || ')})::json`;
}
