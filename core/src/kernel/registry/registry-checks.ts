import { checkFilter } from '../filter/filter-language.ts';
import { permissionProblems } from './permission-problems.ts';
import { reportProblems } from './report-problems.ts';
import { isSystemField } from '../system-fields.ts';
import { typeOf } from '../field-types/registry.ts';
import type { FieldType } from '../field-types/field-type.ts';
import type { FieldDef, ModelDef, ModuleRegistry, ViewDef } from './registry-types.ts';
import type { FormLayoutItem, ModelPermissionManifest, RolePermissionsManifest } from '../manifest/manifest-types.ts';

const ROLE = /^[a-z][a-z0-9_]{0,40}$/;
const RECORD_VARIABLE = '$record.';

/** Semantic checks a JSON Schema cannot express: references between models, views, roles and hooks. */
export function checkRegistry(registry: ModuleRegistry): string[] {
  const problems: string[] = [];
  const problem = (module: string, path: string, message: string): void => void problems.push(`${module}: ${path}: ${message}`);

  /** Models a module may refer to: its own, core's, its dependencies', and those its extension requires. */
  const inScope = (module: string, requires: string[], target: ModelDef): boolean => {
    const allowed = new Set([module, 'core', ...registry.dependencyClosure(module)]);
    for (const r of requires) [r, ...registry.dependencyClosure(r)].forEach((m) => allowed.add(m));
    return allowed.has(target.module);
  };

  /** Lines (written with their parent through a one2many) change with their parent, whose totals may depend on them. */
  const isLine = (model: ModelDef): boolean =>
    [...registry.models.values()].some((m) =>
      Object.values(m.fields).some((f) => typeOf(f).kind === 'lines' && !f.readonly && f.target === model.id),
    );

  const hasField = (model: ModelDef, name: string): boolean => isSystemField(name) || Object.hasOwn(model.fields, name);

  const checkField = (model: ModelDef, field: FieldDef): void => {
    if (!field.target) return;
    const target = registry.model(field.target);
    if (!target) return problem(field.module, `${field.path}/model`, `unknown model "${field.target}"`);
    if (!inScope(field.module, field.requires, target)) {
      return problem(
        field.module,
        `${field.path}/model`,
        `"${target.id}" belongs to module "${target.module}", which ${field.module} does not depend on`,
      );
    }
    if (typeOf(field).kind === 'lines') {
      const inverse = field.inverse ? target.fields[field.inverse] : undefined;
      if (!inverse || typeOf(inverse).kind !== 'reference' || inverse.target !== model.id) {
        problem(field.module, `${field.path}/inverse`, `${target.id} has no many2one field "${field.inverse}" pointing to ${model.id}`);
      }
    }
    if (field.domain) checkDomain(model, field, target);
    for (const [here, there] of Object.entries(field.fill ?? {})) {
      if (!Object.hasOwn(model.fields, here)) problem(field.module, `${field.path}/fill/${here}`, `unknown field "${here}" of ${model.id}`);
      if (!Object.hasOwn(target.fields, there))
        problem(field.module, `${field.path}/fill/${here}`, `unknown field "${there}" of ${target.id}`);
    }
    if (typeOf(field).kind === 'links' && field.ondelete === 'remove' && isLine(model)) {
      problem(
        field.module,
        `${field.path}/ondelete`,
        `${model.id} records are lines, changed only with their parent: "remove" cannot update them on their own (use "restrict")`,
      );
    }
  };

  /** A domain is a filter over the target, with "$record.<field>" naming a field of the record being edited. */
  const checkDomain = (model: ModelDef, field: FieldDef, target: ModelDef): void => {
    const unbound = JSON.parse(JSON.stringify(field.domain), (_key, value: unknown) => {
      if (typeof value !== 'string' || !value.startsWith(RECORD_VARIABLE)) return value;
      const name = value.slice(RECORD_VARIABLE.length);
      if (!hasField(model, name)) problem(field.module, `${field.path}/domain`, `unknown field "${name}" of ${model.id}`);
      return null; // checked as the filter it becomes when that field is empty
    }) as Record<string, unknown>;
    for (const p of checkFilter(target, unbound, { source: 'filter' }).problems)
      problem(field.module, `${field.path}/domain`, `${p.field}: ${p.message}`);
  };

  const checkDeclaration = (field: FieldDef): void => {
    // A trigram index (pg_trgm's gin_trgm_ops) indexes text; a many2one is searched through its target's display.
    if (field.index === 'trigram' && typeOf(field).kind !== 'text')
      problem(
        field.module,
        `${field.path}/index`,
        `"trigram" indexes need a text field (string, text, email, phone, url); "${field.name}" is a ${field.type} field`,
      );
    for (const [path, message] of typeOf(field).declarationProblems?.(field) ?? []) problem(field.module, `${field.path}${path}`, message);
  };

  const checkFields = (module: string, path: string, model: ModelDef, names: string[] | undefined): void => {
    (names ?? []).forEach((name, i) => {
      if (!hasField(model, name)) problem(module, `${path}/${i}`, `unknown field "${name}" of ${model.id}`);
    });
  };

  const checkPermissions = (module: string, path: string, requires: string[], byRole: Record<string, RolePermissionsManifest>): void => {
    for (const [role, models] of Object.entries(byRole)) {
      if (!ROLE.test(role)) problem(module, `${path}/${role}`, 'invalid role name');
      for (const [modelId, permission] of Object.entries(models)) {
        const at = `${path}/${role}/${modelId}`;
        const model = registry.model(modelId);
        if (!model) {
          problem(module, at, `unknown model "${modelId}"`);
          continue;
        }
        if (!inScope(module, requires, model))
          problem(module, at, `"${modelId}" belongs to module "${model.module}", which ${module} does not depend on`);
        checkModelPermission(module, at, model, permission);
      }
    }
  };

  const checkModelPermission = (module: string, at: string, model: ModelDef, permission: ModelPermissionManifest): void => {
    for (const [path, message] of permissionProblems(model, permission)) problem(module, `${at}${path}`, message);
  };

  const layoutRows = (layout: FormLayoutItem[]): string[][] => layout.flatMap((item) => (Array.isArray(item) ? [item] : item.rows));

  const checkView = (view: ViewDef, model: ModelDef): void => {
    const at = `/views/${view.id.slice(view.module.length + 1)}`;
    const field = (name: string | undefined, path: string, allowed?: (type: FieldType) => boolean, what?: string): void => {
      if (name === undefined) return;
      if (!hasField(model, name)) return problem(view.module, path, `unknown field "${name}" of ${model.id}`);
      const declared = model.fields[name];
      if (allowed && declared && !allowed(typeOf(declared))) problem(view.module, path, `"${name}" is a ${declared.type} field; ${what}`);
    };
    field(view.group_by, `${at}/group_by`, (type) => type.columns, 'group by a many2one or selection field');
    for (const [i, sum] of [view.sum ?? []].flat().entries())
      field(sum, `${at}/sum${Array.isArray(view.sum) ? `/${i}` : ''}`, (type) => type.summable, 'sums need a number or money field');
    checkFields(view.module, `${at}/card`, model, view.card);
    checkFields(view.module, `${at}/quick_create`, model, view.quick_create);
    checkFields(view.module, `${at}/columns`, model, view.columns);
    checkFields(view.module, `${at}/widgets`, model, Object.keys(view.widgets ?? {}));
    layoutRows(view.layout ?? []).forEach((row, r) => checkFields(view.module, `${at}/layout/${r}`, model, row));
    for (const [lines, columns] of Object.entries(view.lines ?? {})) {
      const o2m = model.fields[lines];
      const target = o2m && typeOf(o2m).kind === 'lines' ? registry.model(o2m.target!) : undefined;
      if (!target) problem(view.module, `${at}/lines/${lines}`, `"${lines}" is not a one2many field of ${model.id}`);
      else checkFields(view.module, `${at}/lines/${lines}`, target, columns);
    }
    if (view.form && !registry.views.has(view.form.includes('.') ? view.form : `${view.module}.${view.form}`))
      problem(view.module, `${at}/form`, `unknown view "${view.form}"`);
    (view.filters ?? []).forEach((f, i) => {
      // "$user" is allowed: the shell puts the signed-in user's id in its place ("My tasks").
      for (const p of checkFilter(model, f.filter, { source: 'filter', variables: true }).problems)
        problem(view.module, `${at}/filters/${i}/filter`, `${p.field}: ${p.message}`);
    });
  };

  for (const model of registry.models.values()) {
    for (const field of Object.values(model.fields)) {
      checkField(model, field);
      checkDeclaration(field);
    }
    const fieldsPath = `/models/${model.name}`;
    model.readonlyWhen.forEach((rule, i) => {
      for (const p of checkFilter(model, rule.when, { source: 'when' }).problems)
        problem(model.module, `${fieldsPath}/readonly_when/${i}/when`, `${p.field}: ${p.message}`);
    });
    const assignee = model.assignee ? model.fields[model.assignee] : undefined;
    if (model.assignee && !(assignee?.type === 'many2one' && assignee.target === 'core.user'))
      problem(model.module, `${fieldsPath}/assignee`, `"${model.assignee}" is not a many2one field to core.user of ${model.id}`);
    const display = model.display ? model.fields[model.display] : undefined;
    if (model.display && !(display && typeOf(display).displayable))
      problem(model.module, `${fieldsPath}/display`, `"${model.display}" is not a text, number or date field of ${model.id}`);
    model.search.forEach((name, i) => {
      const field = model.fields[name];
      if (!field || !typeOf(field).filter?.textual)
        problem(model.module, `${fieldsPath}/search/${i}`, `"${name}" is not a text or many2one field of ${model.id}`);
    });
    for (const part of model.order.split(',')) {
      const name = part.trim().replace(/^-/, '');
      if (!hasField(model, name)) problem(model.module, `${fieldsPath}/order`, `unknown field "${name}"`);
    }
    for (const [path, message] of reportProblems(registry, model)) problem(model.module, path, message);
    for (const [key, sets] of [
      ['indexes', model.indexes],
      ['unique', model.unique],
    ] as const) {
      sets.forEach((set, i) =>
        set.forEach((name, j) => {
          const f = model.fields[name];
          if (!f?.column) problem(model.module, `${fieldsPath}/${key}/${i}/${j}`, `"${name}" is not a stored field of ${model.id}`);
        }),
      );
    }
  }

  for (const module of registry.modules.values()) {
    const { name, manifest, hooks } = module;
    for (const modelId of Object.keys(manifest.actions ?? {})) {
      const model = registry.model(modelId);
      if (!model || model.module !== name) {
        problem(name, `/actions/${modelId}`, model ? `actions belong in the manifest of ${model.module}` : `unknown model "${modelId}"`);
        continue;
      }
      for (const action of Object.keys(model.actions)) {
        if (!hooks.models?.[modelId]?.actions?.[action])
          problem(name, `/actions/${modelId}/${action}`, 'no handler for this action in server.ts');
      }
    }
    for (const [modelId, modelHooks] of Object.entries(hooks.models ?? {})) {
      const model = registry.model(modelId);
      if (!model || !inScope(name, [], model))
        problem(name, `server.ts: models.${modelId}`, `unknown model "${modelId}" (or not one ${name} depends on)`);
      for (const action of Object.keys(modelHooks.actions ?? {})) {
        if (model && !model.actions[action])
          problem(name, `server.ts: models.${modelId}.actions.${action}`, `no action "${action}" is declared in the manifest`);
      }
    }
    checkPermissions(name, '/permissions', [], manifest.permissions ?? {});
    (manifest.extensions ?? []).forEach((extension, i) => {
      if (!(extension.requires ?? []).every((r) => registry.modules.has(r))) return; // left out: see Registry.addExtensions
      for (const modelId of Object.keys(extension.models ?? {})) {
        const target = registry.model(modelId);
        if (!target) problem(name, `/extensions/${i}/models/${modelId}`, `unknown model "${modelId}"`);
        else if (!inScope(name, extension.requires ?? [], target))
          problem(
            name,
            `/extensions/${i}/models/${modelId}`,
            `"${modelId}" belongs to module "${target.module}", which ${name} neither depends on nor requires`,
          );
      }
      for (const viewId of Object.keys(extension.views ?? {})) {
        if (!registry.views.has(viewId)) problem(name, `/extensions/${i}/views/${viewId}`, `unknown view "${viewId}"`);
      }
      checkPermissions(name, `/extensions/${i}/permissions`, extension.requires ?? [], extension.permissions ?? {});
    });
  }

  for (const view of registry.views.values()) {
    const model = registry.model(view.model);
    if (!model) problem(view.module, `/views/${view.id.slice(view.module.length + 1)}/model`, `unknown model "${view.model}"`);
    else checkView(view, model);
  }

  for (const patch of registry.patches) {
    const view = registry.views.get(patch.view);
    const model = view && registry.model(view.model);
    if (!model) continue;
    const at = `/extensions/views/${patch.view}`;
    for (const [key, names] of [
      ['columns', patch.columns],
      ['card', patch.card],
      ['rows', patch.rows?.flat()],
    ] as const)
      checkFields(patch.module, `${at}/${key}`, model, names);
  }

  registry.menus.forEach((menu) => {
    if (!registry.views.has(menu.view)) problem(menu.module, '/menus', `unknown view "${menu.view}"`);
  });
  return problems;
}
