import type { FormViewMeta, Meta, MenuMeta, ModelMeta, ViewMeta } from '@atrium/protocol';

/** A manifest may name a view of its own module without the prefix ("deal_form" → "sales.deal_form"). */
const qualified = (ref: string, fromView: string): string => (ref.includes('.') ? ref : `${fromView.split('.')[0]}.${ref}`);

/** A form for the model, built from its fields when no module declares one: two fields a row. */
function generatedForm(modelId: string, model: ModelMeta): FormViewMeta {
  const names = Object.keys(model.fields).filter((f) => model.fields[f].kind !== 'json');
  const wide = names.filter((f) => model.fields[f].kind === 'lines' || model.fields[f].widget === 'textarea');
  const narrow = names.filter((f) => !wide.includes(f));
  const rows: string[][] = [];
  for (let i = 0; i < narrow.length; i += 2) rows.push(narrow.slice(i, i + 2));
  return { id: `${modelId}.generated_form`, type: 'form', model: modelId, layout: [...rows, ...wide.map((f) => [f])] };
}

/** The form that opens a record of this view: its declared form, else the model's first form, else a generated one. */
export function formViewFor(meta: Meta, view: ViewMeta): FormViewMeta | null {
  if (view.type === 'form') return view;
  const declared = view.form ? meta.views[qualified(view.form, view.id)] : undefined;
  if (declared?.type === 'form') return declared;
  const any = Object.values(meta.views).find((v): v is FormViewMeta => v.type === 'form' && v.model === view.model);
  if (any) return any;
  const model = meta.models[view.model];
  return model ? generatedForm(view.model, model) : null;
}

export const menuOf = (meta: Meta, viewId: string): MenuMeta | undefined => meta.menus.find((m) => m.view === viewId);

/** What a view is called on screen: its menu's label, its own label, or its model's. */
export function viewTitle(meta: Meta, view: ViewMeta): string {
  return menuOf(meta, view.id)?.label ?? view.label ?? meta.models[view.model]?.label ?? view.model;
}

/** The view a record of the model opens in: the first of the menus showing the model, else any view of it. */
export function viewOfModel(meta: Meta, model: string): ViewMeta | undefined {
  const inMenus = meta.menus.map((m) => meta.views[m.view]).find((v) => v?.model === model);
  return inMenus ?? Object.values(meta.views).find((v) => v.model === model);
}
