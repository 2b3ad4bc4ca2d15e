import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, join, literal, prepared, raw, sql, type Sql } from '../../store/sql.ts';
import { CUSTOM_COLUMN } from '../../kernel/system-fields.ts';
import { expectSql } from '../../store/refusal-sql.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';

/** A field's value for an INSERT or UPDATE, cast to its column type. */
export function valueSql(field: FieldDef, value: unknown): Sql {
  if (value === null || value === undefined) return raw('NULL');
  const type = typeOf(field);
  const v = type.toSql ? type.toSql(value) : value;
  return type.cast ? sql`${v}::${raw(type.cast)}` : sql`${v}`;
}

/** Stored values among `values` (relations to other rows are written by their own statements). */
export function storedEntries(model: ModelDef, values: RecordData): [FieldDef, unknown][] {
  return Object.entries(values)
    .filter(([name]) => Object.hasOwn(model.fields, name) && model.fields[name].column)
    .map(([name, value]) => [model.fields[name], value]);
}

export interface Actor {
  tenantId: string;
  userId: string | null;
}

/**
 * Custom fields' values as one jsonb object, merged into the row's `custom` column (fields the tenant
 * removed keep their keys there: re-created with the same type, they come back).
 */
function customObjectSql(entries: [FieldDef, unknown][]): Sql {
  // jsonb_build_object takes at most 100 arguments: many fields are built in chunks and merged.
  const chunks: Sql[] = [];
  for (let i = 0; i < entries.length; i += 40) {
    const pairs = entries
      .slice(i, i + 40)
      .map(([f, v]) => sql`${raw(literal(f.name))}, to_jsonb((${valueSql(f, v)})::${raw(typeOf(f).column!)})`);
    chunks.push(sql`jsonb_build_object(${join(pairs, ', ')})`);
  }
  return join(chunks, ' || ');
}

export function insertSql(model: ModelDef, id: string, values: RecordData, actor: Actor): Sql {
  const entries = storedEntries(model, values);
  const declared = entries.filter(([f]) => !f.custom);
  const custom = entries.filter(([f]) => f.custom);
  const columns = [raw('tenant_id'), raw('id'), raw('created_by'), raw('updated_by'), ...declared.map(([f]) => ident(f.column!))];
  const vals = [
    sql`${actor.tenantId}::uuid`,
    sql`${id}::uuid`,
    sql`${actor.userId}::uuid`,
    sql`${actor.userId}::uuid`,
    ...declared.map(([f, v]) => valueSql(f, v)),
  ];
  if (custom.length > 0) {
    columns.push(raw(CUSTOM_COLUMN));
    vals.push(customObjectSql(custom));
  }
  return prepared(sql`INSERT INTO ${ident(model.table)} (${join(columns, ', ')}) VALUES (${join(vals, ', ')})`);
}

/**
 * The UPDATE of one row, bumping its version, and a check that exactly one row was written and still
 * satisfies `after` (the update rule: a salesperson cannot hand a record to someone else). Everything the
 * WHERE clause refuses (another tenant, a rule, a stale version) is the refusal `no_row` (`line` naming the
 * field, for a line of a one2many that must belong to its parent).
 */
export function updateSql(
  model: ModelDef,
  id: string,
  values: RecordData,
  actor: Actor,
  where: { version?: number; rule?: Sql; after?: (alias: string) => Sql; line?: string },
): Sql {
  const entries = storedEntries(model, values);
  const sets = entries.filter(([f]) => !f.custom).map(([f, v]) => sql`${ident(f.column!)} = ${valueSql(f, v)}`);
  const custom = entries.filter(([f]) => f.custom);
  if (custom.length > 0) sets.push(sql`${raw(CUSTOM_COLUMN)} = a.${raw(CUSTOM_COLUMN)} || ${customObjectSql(custom)}`);
  sets.push(sql`version = a.version + 1`, sql`updated_at = now()`, sql`updated_by = ${actor.userId}::uuid`);
  const conditions = [sql`a.tenant_id = ${actor.tenantId}::uuid`, sql`a.id = ${id}::uuid`];
  if (where.version !== undefined) conditions.push(sql`a.version = ${where.version}`);
  if (where.rule) conditions.push(where.rule);
  const after = where.after ? sql`, ${expectSql(sql`(SELECT bool_and(${where.after('w')}) FROM w)`, 'rule_after')}` : raw('');
  const refusal = where.line
    ? expectSql(sql`(SELECT count(*) FROM w) = 1`, 'line', where.line)
    : expectSql(sql`(SELECT count(*) FROM w) = 1`, 'no_row');
  return sql`WITH w AS (UPDATE ${ident(model.table)} a SET ${join(sets, ', ')} WHERE ${join(conditions, ' AND ')} RETURNING a.*)
    SELECT ${refusal}${after}`;
}

/** Makes a many2many field hold exactly `ids`. */
export function syncMany2manySql(field: FieldDef, sourceId: string, ids: string[], actor: Actor): Sql[] {
  const rel = ident(field.relTable!);
  return [
    sql`DELETE FROM ${rel} WHERE tenant_id = ${actor.tenantId}::uuid AND source_id = ${sourceId}::uuid AND NOT (target_id = ANY(${ids}::uuid[]))`,
    sql`INSERT INTO ${rel} (tenant_id, source_id, target_id) SELECT ${actor.tenantId}::uuid, ${sourceId}::uuid, x FROM unnest(${ids}::uuid[]) x ON CONFLICT DO NOTHING`,
  ];
}

/** Deletes the lines of a one2many that are not in `keep`. */
export function pruneLinesSql(target: ModelDef, inverse: FieldDef, parentId: string, keep: string[], actor: Actor): Sql {
  return sql`DELETE FROM ${ident(target.table)} WHERE tenant_id = ${actor.tenantId}::uuid AND ${ident(inverse.column!)} = ${parentId}::uuid AND NOT (id = ANY(${keep}::uuid[]))`;
}

/** The row (aliased `a`) must belong to this tenant and id; `rule` narrows it to what the user may do. */
export function rowWhere(actor: Actor, id: string, rule?: Sql): Sql {
  const base = sql`a.tenant_id = ${actor.tenantId}::uuid AND a.id = ${id}::uuid`;
  return rule ? sql`${base} AND ${rule}` : base;
}

/**
 * The module is on for the tenant, and stays on until this transaction ends: its row is locked FOR SHARE
 * (writes do not wait on each other), so switching the module off waits for the writes in flight, and a
 * write that comes after it reads the row as switched off (the refusal `module_off`), whatever its
 * cached session said.
 */
export function moduleOnSql(actor: Actor, module: string): Sql {
  return prepared(sql`WITH m AS (SELECT 1 FROM core_tenant_modules WHERE tenant_id = ${actor.tenantId}::uuid AND module = ${module} AND enabled FOR SHARE)
    SELECT ${expectSql(sql`EXISTS (SELECT 1 FROM m)`, 'module_off', module)}`);
}
