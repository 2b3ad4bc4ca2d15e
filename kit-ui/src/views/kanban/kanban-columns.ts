import { recordsApi } from '$lib/records-api';
import type { FieldMeta, Filter, Group, Meta, RecordData } from '@atrium/protocol';

/** The value a column stands for: a many2one's id, a selection's value, a boolean; null for "none". */
export type GroupKey = string | number | boolean | null;

export interface ColumnDef {
  key: GroupKey;
  label: string;
  folded: boolean;
}

/** A record's column: the group-by value (a many2one's id). */
export const groupKeyOf = (value: unknown): GroupKey =>
  value !== null && typeof value === 'object' && 'id' in value ? (value as { id: string }).id : ((value ?? null) as GroupKey);

/** The records of one column, for the records API. */
export const columnFilter = (field: string, key: GroupKey): Filter => ({ [field]: key });

/**
 * The columns a board always shows, in order, empty or not: for a many2one, the target model's records
 * in its declared order (stages by sequence), folded when the target has a boolean `fold` that is set;
 * for a selection, its options; for a boolean, no then yes. Other fields have columns only from data.
 */
export async function declaredColumns(meta: Meta, field: FieldMeta): Promise<ColumnDef[]> {
  const target = field.kind === 'reference' && field.model ? meta.models[field.model] : undefined;
  if (target) {
    const foldable = target.fields.fold?.kind === 'boolean';
    const { data } = await recordsApi.list(field.model!, { limit: 200 });
    return data.map((record: RecordData) => ({
      key: record.id,
      label: target.display ? String(record[target.display] ?? '') : record.id,
      folded: foldable && record.fold === true,
    }));
  }
  if (field.kind === 'selection') return (field.options ?? []).map((o) => ({ key: o.value, label: o.label, folded: false }));
  if (field.kind === 'boolean')
    return [
      { key: false, label: 'No', folded: false },
      { key: true, label: 'Yes', folded: false },
    ];
  return [];
}

/** Adds columns for values the data holds but the declaration does not: "None" first, others last. */
export function withDataColumns(declared: ColumnDef[], groups: Group[]): ColumnDef[] {
  const known = new Set(declared.map((c) => c.key));
  const extra = groups
    .filter((g) => !known.has(g.key as GroupKey))
    .map((g) => ({
      key: g.key as GroupKey,
      label: g.key === null ? 'None' : (g.label ?? String(g.key)),
      folded: false,
    }));
  return [...extra.filter((c) => c.key === null), ...declared, ...extra.filter((c) => c.key !== null)];
}
