import type {
  ModelPermissionManifest,
  RolePermissionsManifest,
  FieldDef,
  ModelDef,
  Registry,
  SignedIn,
  TestApp,
} from '@atrium/core/testing';
import { call } from '../../core/test/helpers.ts';
import { fieldsOf, sweptModels } from './platform-registry.ts';

/*
 * The shipped manifests hide no field and have no read rule, so the sweeps also define tenant roles
 * (same shape as a manifest's permissions) generated from every model: one that hides fields, one that
 * reads only the user's own records.
 */

/**
 * Fields the masked role may not read: every other optional field that is not a relation, and the display
 * field when optional (so many2one displays are hidden too). Relations stay readable so that sorts and
 * groups through them meet the hidden fields of their targets (display, order).
 */
export function hiddenFields(model: ModelDef): FieldDef[] {
  const optional = fieldsOf(model).filter((f) => !f.required && !f.target);
  return optional.filter((f, i) => i % 2 === 0 || f.name === model.display);
}

/**
 * The hidden field whose emptiness the masked role's write rules require: one the seeded records set and
 * that stays empty on the role's own records (writable, no default, not a boolean, which defaults to false).
 */
export const guardField = (model: ModelDef): FieldDef | undefined =>
  hiddenFields(model).find((f) => f.column && !f.readonly && f.default === undefined && f.type !== 'boolean' && f.type !== 'json');

const everyAction = (model: ModelDef, grant: ModelPermissionManifest[string]): ModelPermissionManifest =>
  Object.fromEntries(['update', 'delete', ...Object.keys(model.actions)].map((action) => [action, grant]));

const tenantModels = (registry: Registry): ModelDef[] => sweptModels(registry).filter((m) => !m.system);

/** Reads every record but not the hidden fields; updates, deletes and acts only where the guard field is empty. */
export function maskedRolePermissions(registry: Registry): RolePermissionsManifest {
  return Object.fromEntries(
    tenantModels(registry).map((model) => {
      const hidden = new Set(hiddenFields(model).map((f) => f.name));
      const guard = guardField(model);
      return [
        model.id,
        {
          read: true,
          create: true,
          ...everyAction(model, guard ? { [guard.name]: { $null: true } } : true),
          fields: {
            read: fieldsOf(model)
              .filter((f) => !hidden.has(f.name))
              .map((f) => f.name),
          },
        },
      ];
    }),
  );
}

/** Everything, but only on the records the user created. */
export function ownRecordsRolePermissions(registry: Registry): RolePermissionsManifest {
  const own = { created_by: '$user' };
  return Object.fromEntries(tenantModels(registry).map((model) => [model.id, { read: own, create: true, ...everyAction(model, own) }]));
}

/** The relations a write of the model may carry, its lines' included: their targets must be readable to write it. */
function targetsOf(registry: Registry, model: ModelDef, seen = new Set<string>()): string[] {
  seen.add(model.id);
  return fieldsOf(model).flatMap((f) => {
    if (!f.target || f.target === 'core.user') return [];
    const target = registry.model(f.target)!;
    return f.type === 'one2many' && !seen.has(target.id) ? [target.id, ...targetsOf(registry, target, seen)] : [f.target];
  });
}

/** A rule on a plain value of the model (a boolean false, a selection's first option), or true when it has neither. */
function valueRule(model: ModelDef): true | Record<string, unknown> {
  const field = fieldsOf(model).find((f) => !f.readonly && f.column && (f.type === 'boolean' || f.type === 'selection'));
  if (!field) return true;
  return { [field.name]: field.type === 'boolean' ? false : field.options![0].value };
}

/**
 * A role with every kind of grant the shipped manifests lack: no access at all to every third model
 * (not even read), read-only access to the models whose writes would point at those, and on the others
 * create, and update, delete and actions under a rule on a plain value (which an update can break: then
 * it is refused after the fact).
 */
export function partialRolePermissions(registry: Registry): RolePermissionsManifest {
  const models = tenantModels(registry).sort((a, b) => a.id.localeCompare(b.id));
  const hidden = new Set(models.filter((_, i) => i % 3 === 0).map((m) => m.id));
  return Object.fromEntries(
    models
      .filter((m) => !hidden.has(m.id))
      .map((model) => {
        if (targetsOf(registry, model).some((id) => hidden.has(id))) return [model.id, { read: true }];
        const rule = valueRule(model);
        return [model.id, { read: true, create: true, ...everyAction(model, rule) }];
      }),
  );
}

/** Defines a tenant role and signs in a new user who has only it. */
export async function userWithRole(app: TestApp, admin: SignedIn, name: string, permissions: RolePermissionsManifest): Promise<SignedIn> {
  const role = await call(admin, 'POST', '/api/admin/roles', { name, permissions });
  if (role.status !== 201) throw new Error(`role ${name}: ${role.status} ${JSON.stringify(role.body)}`);
  return app.addUser(admin, [name]);
}

/**
 * What of a record (as returned to the masked role) it may not read, as paths: hidden fields, at any
 * depth of one2many lines, and display values of relations whose target's display field is hidden.
 */
export function unreadableIn(registry: Registry, model: ModelDef, record: Record<string, unknown>, path = ''): string[] {
  const hidden = new Set(hiddenFields(model).map((f) => f.name));
  const found: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    const field = model.fields[key];
    if (!field) continue;
    if (hidden.has(key)) found.push(`${path}${key}`);
    else if (field.type === 'one2many')
      (value as Record<string, unknown>[]).forEach((line, i) =>
        found.push(...unreadableIn(registry, registry.model(field.target!)!, line, `${path}${key}.${i}.`)),
      );
    else if (field.target && value !== null) {
      const target = registry.model(field.target)!;
      const displayHidden = !target.system && target.display !== undefined && hiddenFields(target).some((f) => f.name === target.display);
      if (displayHidden && [value].flat().some((v) => (v as { display: unknown }).display !== null)) found.push(`${path}${key}.display`);
    }
  }
  return found;
}
