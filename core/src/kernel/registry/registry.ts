import { StartupError } from '../errors.ts';
import type { FieldManifest, ModelManifest } from '../manifest/manifest-types.ts';
import type {
  ActionDef,
  FieldDef,
  LoadedModule,
  MenuDef,
  ModelDef,
  ModuleRegistry,
  PermissionGrant,
  ViewDef,
  ViewPatchDef,
} from './registry-types.ts';
import { checkRegistry } from './registry-checks.ts';
import { typeOf } from '../field-types/registry.ts';
import { coreModels } from './core-models.ts';

/** English's regular plural: tax → taxes, company → companies, lead → leads (a manifest names the others). */
export const pluralOf = (label: string): string =>
  /(s|x|z|ch|sh)$/i.test(label) ? `${label}es` : /[^aeiou]y$/i.test(label) ? `${label.slice(0, -1)}ies` : `${label}s`;

export const humanize = (name: string): string => {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function fieldDef(name: string, model: ModelDef, field: FieldManifest, module: string, requires: string[], path: string): FieldDef {
  const type = typeOf(field);
  const def: FieldDef = {
    name,
    type: field.type,
    widget: field.widget,
    label: field.label ?? humanize(name),
    help: field.help,
    required: field.required ?? false,
    readonly: field.readonly ?? false,
    default: field.default,
    index: field.index ?? false,
    maxLength: field.maxLength ?? type.defaults?.maxLength,
    minLength: field.minLength,
    min: field.min ?? type.defaults?.min,
    max: field.max ?? type.defaults?.max,
    options: field.options?.map((o) =>
      typeof o === 'string' ? { value: o, label: humanize(o) } : { value: o.value, label: o.label ?? humanize(o.value) },
    ),
    target: field.model,
    inverse: field.inverse,
    ondelete: field.ondelete ?? 'restrict',
    domain: field.domain,
    fill: field.fill,
    module,
    requires,
    path,
  };
  // Where the value lives: a reference in <name>_id, links in a join table, lines in their own model's table.
  const kind = type.kind;
  if (kind === 'reference') def.column = `${name}_id`;
  else if (kind === 'links') def.relTable = `${model.table}__${name}`;
  else if (kind !== 'lines') def.column = name;
  for (const key of Object.keys(def) as (keyof FieldDef)[]) if (def[key] === undefined) delete def[key];
  return def;
}

function modelDef(module: string, name: string, manifest: ModelManifest): ModelDef {
  const display = manifest.display ?? (manifest.fields.name ? 'name' : undefined);
  const model: ModelDef = {
    id: `${module}.${name}`,
    module,
    name,
    table: `${module}_${name}`,
    label: manifest.label ?? humanize(name),
    plural: manifest.plural ?? pluralOf(manifest.label ?? humanize(name)),
    chatter: manifest.chatter ?? false,
    display,
    search: manifest.search ?? (display && manifest.fields[display] && typeOf(manifest.fields[display]).filter?.textual ? [display] : []),
    order: manifest.order ?? '-created_at',
    fields: Object.create(null),
    indexes: manifest.indexes ?? [],
    unique: manifest.unique ?? [],
    actions: Object.create(null),
    readonlyWhen: manifest.readonly_when ?? [],
    ...(manifest.assignee ? { assignee: manifest.assignee } : {}),
    reports: Object.create(null),
    system: false,
  };
  for (const [reportName, report] of Object.entries(manifest.reports ?? {}))
    model.reports[reportName] = { name: reportName, label: report.label ?? humanize(reportName), template: report.template };
  for (const [fieldName, field] of Object.entries(manifest.fields))
    model.fields[fieldName] = fieldDef(fieldName, model, field, module, [], `/models/${name}/fields/${fieldName}`);
  return model;
}

/** Everything the shipped modules declare, resolved and checked: the core's single source of truth. */
export class Registry implements ModuleRegistry {
  readonly modules = new Map<string, LoadedModule>();
  readonly models = new Map<string, ModelDef>();
  readonly views = new Map<string, ViewDef>();
  readonly patches: ViewPatchDef[] = [];
  readonly menus: MenuDef[] = [];
  readonly grants: PermissionGrant[] = [];
  private readonly problems: string[] = [];

  constructor(loaded: LoadedModule[]) {
    for (const model of coreModels()) this.models.set(model.id, model);
    for (const module of loaded) this.add(module);
    // Once every model exists, whatever the load order: an extension may add fields to a module loaded after it.
    for (const module of loaded) this.addExtensions(module);
    const problems = [...this.problems, ...checkRegistry(this)];
    if (problems.length > 0) throw new StartupError(problems);
  }

  private add(module: LoadedModule): void {
    const { name, manifest } = module;
    this.modules.set(name, module);
    for (const [modelName, model] of Object.entries(manifest.models ?? {}))
      this.models.set(`${name}.${modelName}`, modelDef(name, modelName, model));
    for (const [modelId, actions] of Object.entries(manifest.actions ?? {})) {
      const model = this.models.get(modelId);
      if (!model) continue; // reported by the checks
      for (const [actionName, action] of Object.entries(actions)) {
        const params: Record<string, FieldDef> = Object.create(null);
        for (const [p, field] of Object.entries(action.params ?? {}))
          params[p] = fieldDef(p, model, field, name, [], `/actions/${modelId}/${actionName}/params/${p}`);
        model.actions[actionName] = {
          name: actionName,
          label: action.label ?? humanize(actionName),
          when: action.when,
          params,
          style: action.style ?? 'secondary',
        } satisfies ActionDef;
      }
    }
    for (const [viewName, view] of Object.entries(manifest.views ?? {}))
      this.views.set(`${name}.${viewName}`, { ...view, id: `${name}.${viewName}`, module: name });
    for (const menu of manifest.menus ?? []) {
      this.menus.push({
        module: name,
        label: menu.label,
        view: menu.view.includes('.') ? menu.view : `${name}.${menu.view}`,
        sequence: menu.sequence ?? 100,
        icon: menu.icon,
      });
    }
    for (const [role, permissions] of Object.entries(manifest.permissions ?? {}))
      this.grants.push({ module: name, requires: [], role, permissions });
  }

  /** A module's extensions; one that requires a module this platform does not ship can never be active, and is left out. */
  private addExtensions({ name, manifest }: LoadedModule): void {
    manifest.extensions?.forEach((extension, i) => {
      const requires = extension.requires ?? [];
      if (!requires.every((r) => this.modules.has(r))) return;
      for (const [modelId, ext] of Object.entries(extension.models ?? {})) {
        const model = this.models.get(modelId);
        if (!model) continue; // reported by the checks
        for (const [fieldName, field] of Object.entries(ext.fields)) {
          const path = `/extensions/${i}/models/${modelId}/fields/${fieldName}`;
          if (model.fields[fieldName])
            this.problems.push(`${name}: ${path}: ${modelId} already has a field "${fieldName}" (from ${model.fields[fieldName].module})`);
          else model.fields[fieldName] = fieldDef(fieldName, model, field, name, requires, path);
        }
      }
      for (const [view, patch] of Object.entries(extension.views ?? {})) this.patches.push({ ...patch, view, module: name, requires });
      for (const [role, permissions] of Object.entries(extension.permissions ?? {}))
        this.grants.push({ module: name, requires, role, permissions });
    });
  }

  model(id: string): ModelDef | undefined {
    return this.models.get(id);
  }

  dependencyClosure(name: string): Set<string> {
    const seen = new Set<string>();
    const visit = (n: string): void => {
      for (const dep of this.modules.get(n)?.manifest.depends ?? []) {
        if (!seen.has(dep)) {
          seen.add(dep);
          visit(dep);
        }
      }
    };
    visit(name);
    return seen;
  }
}
