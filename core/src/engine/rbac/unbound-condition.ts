import { rulesToCondition } from '@casl/ability/extra';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Condition } from '../../kernel/filter/filter-language.ts';
import { parsedConditions, type AppAbility, type SharedAbility } from './abilities.ts';

const ALL: Condition = { kind: 'and', items: [] };

/** A shared ability's condition for an action on a model, `$user` / `$tenant` unbound; `variables`: it names some. */
export interface Unbound {
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
