import { REFUSALS, type RefusalReason } from '../kernel/refusals.ts';
import { literal, raw, sql, type Sql } from './sql.ts';

/**
 * `core_expect(condition, code, detail)`: true, or the transaction aborts with the refusal's SQLSTATE (see
 * kernel/refusals.ts). The detail is a value, or SQL computing it. The code is a constant of the statement's text, so prepared statements keep one shape.
 */
export function expectSql(condition: Sql, reason: RefusalReason, detail?: string | Sql): Sql {
  return sql`core_expect(${condition}, ${raw(literal(REFUSALS[reason]))}, ${detail ?? null}::text)`;
}
