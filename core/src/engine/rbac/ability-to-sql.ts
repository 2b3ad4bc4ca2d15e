import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { conditionToSql } from '../records/filter-to-sql.ts';
import { raw, type Sql } from '../../store/sql.ts';
import type { Permissions } from './permissions.ts';

/** The rows (aliased `alias`) the viewer may `action`; undefined when every row of the tenant qualifies. */
export function ruleSqlOf(permissions: Permissions, action: string, model: ModelDef, schema: TenantSchema, alias = 'a'): Sql | undefined {
  const condition = permissions.condition(action, model);
  if (condition === null) return raw('FALSE');
  if (condition.kind === 'and' && condition.items.length === 0) return undefined;
  return conditionToSql(model, alias, condition, schema);
}
