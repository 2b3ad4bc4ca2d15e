import { rulesToCondition } from '@casl/ability/extra';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Condition } from '../../kernel/filter/filter-language.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { conditionToSql } from '../records/filter-to-sql.ts';
import { raw, type Sql } from '../../store/sql.ts';
import { parsedConditions, type AppAbility, type SharedAbility } from './abilities.ts';
import type { Permissions } from './permissions.ts';

const ALL: Condition = { kind: 'and', items: [] };

/** A shared ability's condition for an action on a model, `$user` / `$tenant` unbound; `variables`: it names some. */
interface Unbound {
  condition: Condition;
  variables: boolean;
}

const cache = new WeakMap<SharedAbility, Map<string, Unbound | null>>();

/**
 * The OR of the rules of a shared ability that allow `action` on a model, variables unbound (Permissions
 * binds the viewer's). Computed once per shared ability, so once for all the users of a role set.
 */
export function unboundCondition(shared: SharedAbility, action: string, model: ModelDef): Unbound | null {
  let perAbility = cache.get(shared);
  if (!perAbility) cache.set(shared, (perAbility = new Map()));
  const key = `${action} ${model.id}`;
  if (perAbility.has(key)) return perAbility.get(key)!;
  let variables = false;
  const condition = rulesToCondition<AppAbility, Condition, Condition>(
    shared.casl.rulesFor(action, model.id),
    (rule) => {
      const parsed = rule.conditions ? parsedConditions(rule.conditions) : undefined;
      if (parsed?.variables) variables = true;
      const item = parsed?.condition ?? ALL;
      return rule.inverted ? { kind: 'not', item } : item;
    },
    { and: (items) => ({ kind: 'and', items }), or: (items) => ({ kind: 'or', items }), empty: () => ALL },
  );
  const found = condition === null ? null : { condition, variables };
  perAbility.set(key, found);
  return found;
}

/** The rows (aliased `alias`) the viewer may `action`; undefined when every row of the tenant qualifies. */
export function ruleSqlOf(permissions: Permissions, action: string, model: ModelDef, schema: TenantSchema, alias = 'a'): Sql | undefined {
  const condition = permissions.condition(action, model);
  if (condition === null) return raw('FALSE');
  if (condition.kind === 'and' && condition.items.length === 0) return undefined;
  return conditionToSql(model, alias, condition, schema);
}
