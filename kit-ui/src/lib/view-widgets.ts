import type { ModelMeta, ViewMeta } from '@atrium/protocol';

/** The model as a view shows it: each field with the widget the view names for it, else its own. */
export function withWidgets(model: ModelMeta, view: Pick<ViewMeta, 'widgets'>): ModelMeta {
  const widgets = Object.entries(view.widgets ?? {}).filter(([name]) => model.fields[name]);
  if (widgets.length === 0) return model;
  return {
    ...model,
    fields: { ...model.fields, ...Object.fromEntries(widgets.map(([name, widget]) => [name, { ...model.fields[name], widget }])) },
  };
}
