import { rulesToCondition } from '@casl/ability/extra';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Condition } from '../../kernel/filter/filter-language.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { conditionToSql } from '../records/filter-to-sql.ts';
import { raw, type Sql } from '../../store/sql.ts';
import { parsedConditions, type AppAbility } from './abilities.ts';

const ALL: Condition = { kind: 'and', items: [] };
const cache = new WeakMap<AppAbility, Map<string, Condition | null>>();

/**
 * The records a user may `action` on a model, as one condition: the OR of the rules that allow it
 * (a rule without conditions allows every record of the tenant). null when no rule allows it at all.
 */
export function abilityCondition(ability: AppAbility, action: string, model: ModelDef): Condition | null {
  let perAbility = cache.get(ability);
  if (!perAbility) cache.set(ability, (perAbility = new Map()));
  const key = `${action} ${model.id}`;
  if (perAbility.has(key)) return perAbility.get(key)!;
  const condition = rulesToCondition<AppAbility, Condition, Condition>(
    ability.rulesFor(action, model.id),
    (rule) => {
      const item = rule.conditions ? parsedConditions(rule.conditions).condition : ALL;
      return rule.inverted ? { kind: 'not', item } : item;
    },
    { and: (items) => ({ kind: 'and', items }), or: (items) => ({ kind: 'or', items }), empty: () => ALL },
  );
  perAbility.set(key, condition);
  return condition;
}

/** The rows (aliased `alias`) the ability may `action`; undefined when every row of the tenant qualifies. */
export function ruleSqlOf(ability: AppAbility, action: string, model: ModelDef, schema: TenantSchema, alias = 'a'): Sql | undefined {
  const condition = abilityCondition(ability, action, model);
  if (condition === null) return raw('FALSE');
  if (condition.kind === 'and' && condition.items.length === 0) return undefined;
  return conditionToSql(model, alias, condition, schema);
}
