import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, raw, sql, type Sql } from '../../store/sql.ts';

/** The display value of the target row aliased `x` (null when the model declares none). */
export function displayOf(target: ModelDef, x: Sql): Sql {
  if (!target.display) return raw('NULL');
  const field = target.fields[target.display];
  return sql`${x}.${ident(field.column!)}::text`;
}
