import type { Registry } from './registry.ts';
import type { FormLayoutItem, ViewPatchManifest } from '../manifest/manifest-types.ts';
import { customFieldDef, type CustomFieldRow } from './custom-fields.ts';
import type { MenuDef, ModelDef, PermissionGrant, ViewDef } from './registry-types.ts';

/** A tenant's own patches of the modules' views (core_view_patches), by view id: see TenantSchema. */
export type TenantViewPatches = Readonly<Record<string, readonly ViewPatchManifest[]>>;

const schemaKey = (enabled: ReadonlySet<string>, custom: readonly CustomFieldRow[], tenantId: string): string =>
  [...enabled].sort().join(',') + (custom.length > 0 ? `#${tenantId}:${JSON.stringify(custom)}` : '');

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
  /** What sets this schema apart, for caches shared between tenants: the modules, and the tenant's custom fields. */
  readonly key: string;

  /** `custom`: a tenant's own fields (custom-fields.ts); a schema with some belongs to that tenant alone. */
  constructor(
    readonly registry: Registry,
    readonly enabled: ReadonlySet<string>,
    custom: readonly CustomFieldRow[] = [],
    tenantId = '',
    /** What its views show besides the modules' own (not part of `key`: no cache shared between tenants depends on views). */
    readonly tenantPatches: TenantViewPatches = {},
  ) {
    const active = (module: string, requires: string[]): boolean =>
      (module === 'core' || enabled.has(module)) && requires.every((r) => enabled.has(r));
    const activeTarget = (field: { target?: string }): boolean => {
      const target = field.target ? registry.model(field.target) : undefined;
      return !field.target || (target !== undefined && active(target.module, []));
    };
    for (const model of registry.models.values()) {
      if (!active(model.module, [])) continue;
      const fields = Object.create(null) as ModelDef['fields'];
      for (const field of Object.values(model.fields))
        if (active(field.module, field.requires) && activeTarget(field)) fields[field.name] = field;
      for (const row of custom) {
        if (row.model !== model.id || model.system) continue;
        const field = customFieldDef(row, model);
        if (activeTarget(field)) fields[field.name] = field;
      }
      this.models.set(model.id, { ...model, fields });
    }
    this.key = schemaKey(enabled, custom, tenantId);
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

/** One TenantSchema per distinct set of enabled modules, and one per tenant that has custom fields or view patches. */
export class TenantSchemas {
  private readonly cache = new Map<string, TenantSchema>();
  private readonly customized = new Map<string, TenantSchema>();
  constructor(private readonly registry: Registry) {}

  /** The tenant's schema with its custom fields and view patches (kept until they or its modules change). */
  forTenant(tenantId: string, enabled: Iterable<string>, custom: readonly CustomFieldRow[], patches: TenantViewPatches = {}): TenantSchema {
    if (custom.length === 0 && Object.keys(patches).length === 0) {
      this.customized.delete(tenantId);
      return this.for(enabled);
    }
    const set = new Set(enabled);
    const cached = this.customized.get(tenantId);
    if (cached?.key === schemaKey(set, custom, tenantId) && JSON.stringify(cached.tenantPatches) === JSON.stringify(patches)) return cached;
    const schema = new TenantSchema(this.registry, set, custom, tenantId, patches);
    this.customized.set(tenantId, schema);
    return schema;
  }

  /** The schema of these modules as they make it (no tenant's own fields or patches). */
  for(enabled: Iterable<string>): TenantSchema {
    const set = new Set(enabled);
    const key = [...set].sort().join(',');
    let schema = this.cache.get(key);
    if (!schema) {
      schema = new TenantSchema(this.registry, set);
      this.cache.set(key, schema);
    }
    return schema;
  }
}
