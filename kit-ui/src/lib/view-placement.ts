import type { ViewPatch } from './admin-api';

type PatchedViewType = 'kanban' | 'list' | 'form';

/** The fields a tenant's patches place on a view. */
export const fieldsPlacedBy = (patches: readonly ViewPatch[]): string[] =>
  patches.flatMap((patch) => [...(patch.rows ?? []).flat(), ...(patch.columns ?? []), ...(patch.card ?? [])]);

/**
 * The patches with one more field placed where an admin expects it: a row of its own at the end of a form,
 * the last column of a list, the last line of a kanban card.
 */
export function withField(type: PatchedViewType, patches: readonly ViewPatch[], field: string): ViewPatch[] {
  if (type === 'form') return [...patches, { rows: [[field]] }];
  const key = type === 'list' ? 'columns' : 'card';
  const at = patches.findLastIndex((patch) => patch[key]);
  if (at < 0) return [...patches, { [key]: [field] }];
  return patches.map((patch, i) => (i === at ? { ...patch, [key]: [...patch[key]!, field] } : patch));
}

/** The patches without a field; a row, and a patch, left with nothing go. */
export function withoutField(patches: readonly ViewPatch[], field: string): ViewPatch[] {
  return patches
    .map((patch) => {
      const kept: ViewPatch = {};
      if (patch.rows) {
        const rows = patch.rows.map((row) => row.filter((f) => f !== field)).filter((row) => row.length > 0);
        if (rows.length > 0) Object.assign(kept, patch.after === undefined ? {} : { after: patch.after }, { rows });
      }
      if (patch.columns?.some((f) => f !== field)) kept.columns = patch.columns.filter((f) => f !== field);
      if (patch.card?.some((f) => f !== field)) kept.card = patch.card.filter((f) => f !== field);
      return kept;
    })
    .filter((patch) => Object.keys(patch).length > 0);
}
