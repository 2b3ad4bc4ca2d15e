import { ident, raw, sql, type Sql } from '../../store/sql.ts';
import { displayOf } from './display-sql.ts';
import type { FieldSql } from './field-sql.ts';

/** A many2many lives in its join table: read as a list of {id, display}, filtered by membership. */
export const linksSql: FieldSql = {
  read: (field, alias, { schema }) => {
    const target = schema.model(field.target!)!;
    const display = displayOf(target, raw('x'));
    return sql`(SELECT coalesce(json_agg(json_build_object('id', r.target_id, 'display', ${display}) ORDER BY ${display}, r.target_id), '[]'::json)
      FROM ${ident(field.relTable!)} r JOIN ${ident(target.table)} x ON x.tenant_id = r.tenant_id AND x.id = r.target_id
      WHERE r.tenant_id = ${alias}.tenant_id AND r.source_id = ${alias}.id)`;
  },
  filter: (field, alias, op, value) => {
    const any = (extra: Sql): Sql =>
      sql`EXISTS (SELECT 1 FROM ${ident(field.relTable!)} r WHERE r.tenant_id = ${alias}.tenant_id AND r.source_id = ${alias}.id${extra})`;
    switch (op) {
      case 'eq':
        return any(sql` AND r.target_id = ${value}::uuid`);
      case 'ne':
        return sql`NOT ${any(sql` AND r.target_id = ${value}::uuid`)}`;
      case 'in':
        return any(sql` AND r.target_id = ANY(${value}::uuid[])`);
      case 'nin':
        return sql`NOT ${any(sql` AND r.target_id = ANY(${value}::uuid[])`)}`;
      case 'null':
        return value ? sql`NOT ${any(raw(''))}` : any(raw(''));
      default:
        return undefined;
    }
  },
};
