import type { Condition, Filter, Operator } from './condition.ts';
import { matchesCondition, type KindOf } from './filter-match.ts';

/**
 * A filter read into a condition as the core's parser reads it (fields and-ed; `null` is `$null: true`; a
 * bare value is `$eq`), without the model checks: for filters that the server already checked (a view's,
 * an action's `when`, the user's rules). The core parses what clients send with kernel/filter/filter-language.ts.
 */
export function conditionOf(filter: Filter): Condition {
  const items = Object.entries(filter).map(([key, value]): Condition => {
    if (key === '$and' || key === '$or') return { kind: key === '$and' ? 'and' : 'or', items: (value as Filter[]).map(conditionOf) };
    if (key === '$not') return { kind: 'not', item: conditionOf(value as Filter) };
    if (value === null) return { kind: 'compare', field: key, op: 'null', value: true };
    if (typeof value === 'object' && !Array.isArray(value)) {
      const ops = Object.entries(value as Record<string, unknown>).map(([op, operand]): Condition => ({
        kind: 'compare',
        field: key,
        op: op.slice(1) as Operator,
        value: operand,
      }));
      return ops.length === 1 ? ops[0] : { kind: 'and', items: ops };
    }
    return { kind: 'compare', field: key, op: 'eq', value };
  });
  return items.length === 1 ? items[0] : { kind: 'and', items };
}

/** Does a record match a filter the server already checked? (conditionOf, then matchesCondition.) */
export const matchesFilter = (filter: Filter, record: Record<string, unknown>, kindOf: KindOf): boolean =>
  matchesCondition(conditionOf(filter), record, kindOf);
