import { money } from '@atrium/protocol';
import type { FieldMeta, Filter, ModelMeta } from '@atrium/protocol';
import { recordsApi } from './records-api';

/** Fields `/groups` can group by, the coarsest first (few groups: a cheap query): by kind, then text by widget. */
const GROUP_PREFERENCE: ((field: FieldMeta) => boolean)[] = [
  ...['boolean', 'selection', 'reference', 'date', 'integer'].map((kind) => (field: FieldMeta) => field.kind === kind),
  ...['text', 'email'].map((widget) => (field: FieldMeta) => field.kind === 'text' && field.widget === widget),
];

/**
 * The field to group by so that the groups' sums add up to the sum over every matching record: any
 * field does (every record is in exactly one group), so the one likely to give the fewest groups.
 */
export function totalsGroupField(model: ModelMeta): string | null {
  for (const preferred of GROUP_PREFERENCE) {
    const name = Object.keys(model.fields).find((f) => preferred(model.fields[f]));
    if (name) return name;
  }
  return null;
}

/**
 * Sums of some fields over every record matching a filter (not just the page shown), computed by the
 * database: `/groups` has no "all records" group, so it groups by one field and the groups' sums are
 * added here exactly. Null when the model has no field to group by.
 */
export async function filterTotals(
  modelId: string,
  model: ModelMeta,
  fields: string[],
  filter: Filter | undefined,
): Promise<Record<string, string> | null> {
  const by = totalsGroupField(model);
  if (!by) return null;
  const sums = await Promise.all(
    fields.map(async (field) => {
      const groups = await recordsApi.groups(modelId, by, { sum: field, filter });
      return [field, money.sum(groups.map((g) => g.sum))] as const;
    }),
  );
  return Object.fromEntries(sums);
}
