import type { FieldDef, ViewDef } from '../kernel/registry/registry-types.ts';
import type { FormLayoutItem } from '../kernel/manifest/manifest-types.ts';
import type { Permissions } from './rbac/permissions.ts';
import { permittedFields } from './rbac/field-mask.ts';
import type { TenantSchema } from '../kernel/registry/tenant-registry.ts';
import { typeOf } from '../kernel/field-types/registry.ts';

/**
 * `readonly`: the user may not write it here. `computed`: nobody writes it, the server sets it — the shell
 * needs the difference for one2many lines, which are written with the parent's permission, not the line model's.
 */
function fieldMeta(field: FieldDef, writable: boolean) {
  const {
    name: _name,
    column: _column,
    relTable: _rel,
    module: _module,
    requires: _requires,
    path: _path,
    index: _index,
    ondelete: _ondelete,
    target,
    ...rest
  } = field;
  // `kind` and `widget` tell the shell how to show the value without knowing the type's name (kernel/field-types).
  const { kind, widget, suffix, groupable, summable } = typeOf(field);
  return {
    ...rest,
    kind,
    widget: field.widget ?? widget,
    ...(suffix ? { suffix } : {}),
    ...(groupable ? { groupable } : {}),
    ...(summable ? { summable } : {}),
    ...(target ? { model: target } : {}),
    readonly: field.readonly || !writable,
    ...(field.readonly ? { computed: true } : {}),
  };
}

function trimLayout(layout: FormLayoutItem[], readable: Set<string>): FormLayoutItem[] {
  const row = (r: string[]): string[] => r.filter((f) => readable.has(f));
  return layout
    .map((item) => (Array.isArray(item) ? row(item) : { ...item, rows: item.rows.map(row).filter((r) => r.length > 0) }))
    .filter((item) => (Array.isArray(item) ? item.length > 0 : item.rows.length > 0));
}

function trimView(view: ViewDef, readable: Set<string>): Omit<ViewDef, 'module'> {
  const keep = (list?: string[]) => list?.filter((f) => readable.has(f));
  const { module: _module, ...rest } = view;
  return {
    ...rest,
    ...(view.card ? { card: keep(view.card) } : {}),
    ...(view.columns ? { columns: keep(view.columns) } : {}),
    ...(view.quick_create ? { quick_create: keep(view.quick_create) } : {}),
    ...(view.layout ? { layout: trimLayout(view.layout, readable) } : {}),
    ...(view.widgets ? { widgets: Object.fromEntries(Object.entries(view.widgets).filter(([f]) => readable.has(f))) } : {}),
  };
}

/** `GET /api/meta`: the tenant's enabled modules, trimmed to what this user may read (docs/api.md). */
export function buildMeta(schema: TenantSchema, ability: Permissions) {
  const models: Record<string, unknown> = {};
  const readableByModel = new Map<string, Set<string>>();
  for (const model of schema.models.values()) {
    if (ability.condition('read', model) === null) continue;
    const readable = permittedFields(ability, 'read', model);
    const writable = new Set([...permittedFields(ability, 'create', model), ...permittedFields(ability, 'update', model)]);
    if (model.system) writable.clear();
    readableByModel.set(model.id, readable);
    models[model.id] = {
      label: model.label,
      plural: model.plural,
      display: model.display ?? null,
      search: model.search.filter((f) => readable.has(f)),
      order: model.order,
      system: model.system,
      ...(model.chatter ? { chatter: true } : {}),
      fields: Object.fromEntries(
        Object.values(model.fields)
          .filter((f) => readable.has(f.name))
          .map((f) => [f.name, fieldMeta(f, writable.has(f.name))]),
      ),
      readonly_when: model.readonlyWhen,
      actions: Object.values(model.actions)
        .filter((a) => ability.condition(a.name, model) !== null)
        .map((a) => ({ ...a, params: Object.fromEntries(Object.values(a.params).map((p) => [p.name, fieldMeta(p, true)])) })),
      reports: Object.values(model.reports).map(({ name, label }) => ({ name, label })),
      can: Object.fromEntries(
        ['create', 'update', 'delete'].map((action) => [action, !model.system && ability.condition(action, model) !== null]),
      ),
    };
  }
  const views = Object.fromEntries(
    [...schema.views.values()].filter((v) => readableByModel.has(v.model)).map((v) => [v.id, trimView(v, readableByModel.get(v.model)!)]),
  );
  return {
    modules: [...schema.registry.modules.values()]
      .filter((m) => schema.enabled.has(m.name))
      .map(({ manifest }) => ({ name: manifest.name, label: manifest.label, version: manifest.version, depends: manifest.depends ?? [] })),
    models,
    views,
    menus: schema.menus
      .filter((m) => views[m.view])
      .map(({ module, label, view, sequence, icon }) => ({ module, label, view, sequence, ...(icon ? { icon } : {}) })),
  };
}
