import { raw, sql } from '../../store/sql.ts';
import type { FieldSql } from './field-sql.ts';
import { columnSql } from './column-sql.ts';

/** An exact decimal (money) is read and summed as a string with the tenant currency's decimals: 153.90, never a float. */
export const decimalSql: FieldSql = {
  read: (field, alias, { precision }) => sql`round(${columnSql(field, alias)}, ${raw(String(precision))})::text`,
  sum: (column, precision) => sql`round(coalesce(sum(${column}), 0), ${precision})::text`,
};
