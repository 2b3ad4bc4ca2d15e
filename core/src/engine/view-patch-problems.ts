import type { FieldProblem } from '../kernel/errors.ts';
import type { ViewPatchManifest } from '../kernel/manifest/manifest-types.ts';
import type { ModelDef, ViewDef } from '../kernel/registry/registry-types.ts';

/** What a tenant may patch in each type of view: rows into a form (after a field of it), columns into a list, fields onto a card. */
export const PATCH_KEYS: Record<ViewDef['type'], readonly (keyof ViewPatchManifest)[]> = {
  form: ['after', 'rows'],
  list: ['columns'],
  kanban: ['card'],
};

/** The fields a view shows: its form's rows, its list's columns, its card. */
export function fieldsOnView(view: Pick<ViewDef, 'layout' | 'columns' | 'card'>): string[] {
  const layout = (view.layout ?? []).flatMap((item) => (Array.isArray(item) ? item : item.rows.flat()));
  return [...layout, ...(view.columns ?? []), ...(view.card ?? [])];
}

/**
 * A tenant's patches of a module's view (`base`: the view as the modules make it), checked like a module's
 * extension is at start-up: only the keys of the view's type, only fields of the tenant's model, each field
 * placed once, `after` a field the form shows. Each problem names its place in the body (`patches.0.card.1`).
 */
export function viewPatchProblems(base: ViewDef, model: ModelDef, patches: readonly ViewPatchManifest[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = PATCH_KEYS[base.type];
  const placed = new Set(fieldsOnView(base));
  patches.forEach((patch, i) => {
    for (const key of Object.keys(patch) as (keyof ViewPatchManifest)[])
      if (!keys.includes(key))
        problems.push({
          field: `patches.${i}.${key}`,
          rule: 'view',
          message: `is not for a ${base.type} view (it takes ${keys.join(', ')})`,
        });
    if (patch.after !== undefined && !placed.has(patch.after))
      problems.push({ field: `patches.${i}.after`, rule: 'field', message: `"${patch.after}" is not on this form` });
    const named: [string, string][] = [
      ...(patch.rows ?? []).flatMap((row, r) => row.map((name, c): [string, string] => [`rows.${r}.${c}`, name])),
      ...(patch.columns ?? []).map((name, c): [string, string] => [`columns.${c}`, name]),
      ...(patch.card ?? []).map((name, c): [string, string] => [`card.${c}`, name]),
    ];
    for (const [path, name] of named) {
      if (!(name in model.fields))
        problems.push({ field: `patches.${i}.${path}`, rule: 'field', message: `unknown field "${name}" of ${model.id}` });
      else if (placed.has(name))
        problems.push({ field: `patches.${i}.${path}`, rule: 'unique', message: `"${name}" is already on this view` });
      else placed.add(name);
    }
  });
  return problems;
}
