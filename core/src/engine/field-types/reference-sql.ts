import { ident, raw, sql } from '../../store/sql.ts';
import { displayOf } from './display-sql.ts';
import type { FieldSql } from './field-sql.ts';
import { columnSql } from './column-sql.ts';

/** A many2one reads as {id, display} and sorts by its target's display. */
export const referenceSql: FieldSql = {
  read: (field, alias, { schema }) => {
    const target = schema.model(field.target!)!;
    const col = columnSql(field, alias);
    return sql`CASE WHEN ${col} IS NULL THEN NULL ELSE json_build_object('id', ${col}, 'display', (SELECT ${displayOf(target, raw('x'))} FROM ${ident(target.table)} x WHERE x.tenant_id = ${alias}.tenant_id AND x.id = ${col})) END`;
  },
  filter: (field, alias, op, value, schema) => {
    if (op !== 'ilike') return undefined;
    const target = schema.model(field.target!)!;
    return sql`EXISTS (SELECT 1 FROM ${ident(target.table)} x WHERE x.tenant_id = ${alias}.tenant_id AND x.id = ${columnSql(field, alias)} AND ${displayOf(target, raw('x'))} ILIKE ${value})`;
  },
  sort: (schema, field, alias) => {
    const target = schema.model(field.target!);
    if (!target?.display) return undefined;
    const display = target.fields[target.display];
    return sql`(SELECT x.${ident(display.column!)} FROM ${ident(target.table)} x WHERE x.tenant_id = ${alias}.tenant_id AND x.id = ${columnSql(field, alias)})`;
  },
};
