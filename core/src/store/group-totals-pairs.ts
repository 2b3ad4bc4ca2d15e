import type { Registry } from '../kernel/registry/registry.ts';
import type { FieldDef } from '../kernel/registry/registry-types.ts';
import { typeOf } from '../kernel/field-types/registry.ts';

/**
 * One kind of kanban column totals kept by the database (core_group_totals): the count per value of
 * `groupBy`, and the sum of `sum` ('' for none), per value of the model's `archived` column when it has one.
 */
export interface TotalsPair {
  model: string;
  table: string;
  groupBy: string;
  groupColumn: string;
  sum: string;
  sumColumn: string | undefined;
  /** The `archived` field's column, when the model has that boolean field. */
  archivedColumn: string | undefined;
}

/** Sums kept: exact ones only (integer, money). A float sum depends on the order it is added in, a scan's or the deltas'. */
const EXACT_SUMS = new Set(['int', 'numeric']);

const stored = (field: FieldDef | undefined): field is FieldDef => field !== undefined && !field.custom && field.column !== undefined;

/** The pairs the manifests' kanban views declare (`group_by`, `sum`), each once. */
export function groupTotalPairs(registry: Registry): TotalsPair[] {
  const pairs = new Map<string, TotalsPair>();
  for (const view of registry.views.values()) {
    const model = view.type === 'kanban' && view.group_by ? registry.model(view.model) : undefined;
    const by = model?.fields[view.group_by!];
    if (!model || model.system || !stored(by) || !typeOf(by).groupable) continue;
    const archived = model.fields.archived;
    const archivedColumn = stored(archived) && archived.type === 'boolean' ? archived.column : undefined;
    const sums = [view.sum ?? []].flat().filter((name) => {
      const field = model.fields[name];
      return stored(field) && EXACT_SUMS.has(typeOf(field).column ?? '');
    });
    for (const sum of view.sum === undefined ? [''] : sums)
      pairs.set(`${model.id} ${by.name} ${sum}`, {
        model: model.id,
        table: model.table,
        groupBy: by.name,
        groupColumn: by.column!,
        sum,
        sumColumn: sum ? model.fields[sum].column : undefined,
        archivedColumn,
      });
  }
  return [...pairs.values()].sort((a, b) => `${a.model} ${a.groupBy} ${a.sum}`.localeCompare(`${b.model} ${b.groupBy} ${b.sum}`));
}

/** The pair whose totals answer grouping `model` by `groupBy` summing `sum` ('' for none: any pair's counts do), if any. */
export const totalsPairOf = (pairs: readonly TotalsPair[], model: string, groupBy: string, sum: string): TotalsPair | undefined =>
  pairs.find((p) => p.model === model && p.groupBy === groupBy && (p.sum === sum || sum === ''));
