import type { Registry } from './registry.ts';
import type { FormLayoutItem, ViewPatchManifest } from '../manifest/manifest-types.ts';
import type { MenuDef, ModelDef, PermissionGrant, ViewDef } from './registry-types.ts';

/** A tenant's own patches of the modules' views (core_view_patches), by view id: see TenantSchema. */
export type TenantViewPatches = Readonly<Record<string, readonly ViewPatchManifest[]>>;

/**
 * What one tenant sees of the registry, given the modules it has on: the models of enabled modules,
 * with only the fields whose declaring module (and `requires`) are on, views with the active patches
 * applied, menus, and the role grants in force. Shared by every tenant with the same set of modules,
 * unless the tenant patched views of its own: those patches apply after the modules' ones, the same way,
 * naming only fields the tenant's model has (a field gone with its module comes back with it).
 */
export class TenantSchema {
  readonly models = new Map<string, ModelDef>();
  readonly views = new Map<string, ViewDef>();
  readonly menus: MenuDef[];
  readonly grants: PermissionGrant[];

  constructor(
    readonly registry: Registry,
    readonly enabled: ReadonlySet<string>,
    tenantPatches: TenantViewPatches = {},
  ) {
    const active = (module: string, requires: string[]): boolean =>
      (module === 'core' || enabled.has(module)) && requires.every((r) => enabled.has(r));
    for (const model of registry.models.values()) {
      if (!active(model.module, [])) continue;
      const fields = Object.create(null) as ModelDef['fields'];
      for (const field of Object.values(model.fields)) {
        const target = field.target ? registry.model(field.target) : undefined;
        if (active(field.module, field.requires) && (!target || active(target.module, []))) fields[field.name] = field;
      }
      this.models.set(model.id, { ...model, fields });
    }
    const patches = registry.patches.filter((p) => active(p.module, p.requires));
    for (const view of registry.views.values()) {
      const model = this.models.get(view.model);
      if (!active(view.module, []) || !model) continue;
      const own = (tenantPatches[view.id] ?? []).map((patch) => presentFieldsOf(patch, model));
      this.views.set(view.id, applyPatches(view, [...patches.filter((p) => p.view === view.id), ...own]));
    }
    this.menus = registry.menus.filter((m) => active(m.module, [])).sort((a, b) => a.sequence - b.sequence);
    this.grants = registry.grants.filter((g) => active(g.module, g.requires));
  }

  model(id: string): ModelDef | undefined {
    return this.models.get(id);
  }
}

function insertRows(layout: FormLayoutItem[], rows: string[][], after: string | undefined): FormLayoutItem[] {
  const at = after === undefined ? -1 : layout.findIndex((item) => (Array.isArray(item) ? item : item.rows.flat()).includes(after));
  if (at < 0) return [...layout, ...rows];
  const item = layout[at];
  if (Array.isArray(item)) return [...layout.slice(0, at + 1), ...rows, ...layout.slice(at + 1)];
  const rowAt = item.rows.findIndex((row) => row.includes(after!));
  const section = { ...item, rows: [...item.rows.slice(0, rowAt + 1), ...rows, ...item.rows.slice(rowAt + 1)] };
  return [...layout.slice(0, at), section, ...layout.slice(at + 1)];
}

/** A tenant's patch with only the fields its model has now (rows left empty go). */
function presentFieldsOf(patch: ViewPatchManifest, model: ModelDef): ViewPatchManifest {
  const present = (names: string[]) => names.filter((name) => name in model.fields);
  return {
    ...patch,
    ...(patch.rows ? { rows: patch.rows.map(present).filter((row) => row.length > 0) } : {}),
    ...(patch.columns ? { columns: present(patch.columns) } : {}),
    ...(patch.card ? { card: present(patch.card) } : {}),
  };
}

/** A view with patches applied (rows into a form, columns into a list, fields onto a card): other modules', then the tenant's. */
function applyPatches(view: ViewDef, patches: ViewPatchManifest[]): ViewDef {
  return patches.reduce<ViewDef>(
    (v, patch) => ({
      ...v,
      layout: v.layout && patch.rows ? insertRows(v.layout, patch.rows, patch.after) : v.layout,
      columns: v.columns && patch.columns ? [...v.columns, ...patch.columns] : v.columns,
      card: v.card && patch.card ? [...v.card, ...patch.card] : v.card,
      lines: patch.lines ? { ...v.lines, ...patch.lines } : v.lines,
    }),
    view,
  );
}

/** One TenantSchema per distinct set of enabled modules; a tenant with view patches of its own gets its own. */
export class TenantSchemas {
  private readonly cache = new Map<string, TenantSchema>();
  constructor(private readonly registry: Registry) {}

  for(enabled: Iterable<string>, tenantPatches?: TenantViewPatches): TenantSchema {
    const set = new Set(enabled);
    // Not cached here: the session cache keeps it with the tenant's state (sessions.ts).
    if (tenantPatches && Object.keys(tenantPatches).length > 0) return new TenantSchema(this.registry, set, tenantPatches);
    const key = [...set].sort().join(',');
    let schema = this.cache.get(key);
    if (!schema) {
      schema = new TenantSchema(this.registry, set);
      this.cache.set(key, schema);
    }
    return schema;
  }
}
