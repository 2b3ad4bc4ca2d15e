import type { Registry } from '../../kernel/registry/registry.ts';
import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { groupTotalPairs, totalsPairOf, type TotalsPair } from '../../store/group-totals-pairs.ts';
import { raw, sql, type Sql } from '../../store/sql.ts';
import type { Condition } from '../../kernel/filter/filter-language.ts';

/**
 * Kanban columns read from the totals the database keeps (core_group_totals, store/group-totals-ddl.ts)
 * instead of a scan of the model's rows — only when they give the very answer the scan would.
 */

/**
 * Delta rows of a pair, beyond the one row per key a fold leaves, past which a read folds its tenant's deltas of
 * the model into one row per key (counted beyond the keys: a board of more than this many columns would fold on
 * every read otherwise).
 */
export const FOLD_AFTER = 64;

const pairsOf = new WeakMap<Registry, TotalsPair[]>();

/** The totals that answer grouping `model` by `by` (summing `sum`), if kept. */
export function keptTotals(registry: Registry, model: ModelDef, by: FieldDef, sum: FieldDef | undefined): TotalsPair | undefined {
  if (by.custom || sum?.custom) return undefined;
  if (!pairsOf.has(registry)) pairsOf.set(registry, groupTotalPairs(registry));
  return totalsPairOf(pairsOf.get(registry)!, model.id, by.name, sum?.name ?? '');
}

/**
 * The `archived` value a parsed filter keeps the totals to: `undefined` for no filter, true or false for exactly
 * `archived` equal to a boolean on a model whose totals are kept per archived value; null for any other filter (a scan).
 */
export function totalsFilter(pair: TotalsPair, filter: Condition | undefined): boolean | undefined | null {
  if (filter === undefined) return undefined;
  const exact = pair.archivedColumn && filter.kind === 'compare' && filter.field === 'archived' && filter.op === 'eq';
  return exact && typeof filter.value === 'boolean' ? filter.value : null;
}

/**
 * The groups of a pair as the scan's subquery has them (key, count, sum), `deltas`: how many rows they were
 * added from, and `keys`: how many groups (a folded pair has one row each). Keys whose count came back to zero
 * are left to the caller's `WHERE g.count > 0`.
 */
export function totalsGroupsSql(
  tenantId: string,
  pair: TotalsPair,
  by: FieldDef,
  archived: boolean | undefined,
  sumOf: ((column: Sql) => Sql) | undefined,
): Sql {
  const cast = raw(typeOf(by).column!);
  const sum = sumOf ? sql`, ${sumOf(raw('t.sum'))} AS sum` : raw('');
  const archivedOnly = archived === undefined ? raw('') : sql` AND t.archived = ${archived}`;
  return sql`SELECT t.key::${cast} AS key, sum(t.count)::int AS count${sum}, sum(count(*)) OVER ()::int AS deltas, count(*) OVER ()::int AS keys FROM core_group_totals t
    WHERE t.tenant_id = ${tenantId}::uuid AND t.model = ${pair.model} AND t.group_by = ${pair.groupBy} AND t.sum_field = ${pair.sum}${archivedOnly}
    GROUP BY t.key`;
}

/**
 * Folds the tenant's deltas of a model into one row per key, dropping keys at zero. Safe beside writes and
 * other folds without a lock: rows inserted meanwhile are not in the DELETE's snapshot, and of two folds the
 * second finds the first's rows already deleted (it skips them) and its folded rows not yet visible.
 */
export const foldTotalsSql = (tenantId: string, model: string): Sql =>
  sql`WITH gone AS (DELETE FROM core_group_totals WHERE tenant_id = ${tenantId}::uuid AND model = ${model} RETURNING *)
    INSERT INTO core_group_totals (tenant_id, model, group_by, sum_field, archived, key, count, sum)
    SELECT tenant_id, model, group_by, sum_field, archived, key, sum(count), sum(sum) FROM gone GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(count) <> 0`;
