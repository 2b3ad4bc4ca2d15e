import { ident, sql } from '../../store/sql.ts';
import type { FieldSql } from './field-sql.ts';

/** A one2many reads as the list of its lines, each a record of its own model, in that model's order. */
export const linesSql: FieldSql = {
  read: (field, alias, context) => {
    const target = context.schema.model(field.target!)!;
    const l = `l${context.depth}`;
    const inverse = target.fields[field.inverse!];
    return sql`(SELECT coalesce(json_agg(${context.record(target, l, context.depth + 1)} ORDER BY ${context.order(target, l)}), '[]'::json)
      FROM ${ident(target.table)} ${ident(l)} WHERE ${ident(l)}.tenant_id = ${alias}.tenant_id AND ${ident(l)}.${ident(inverse.column!)} = ${alias}.id)`;
  },
};
