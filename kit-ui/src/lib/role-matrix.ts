import type { ModelMeta } from '@atrium/protocol';

/**
 * A role's permissions (docs/api.md, `/api/admin/roles`: per model, per action `true` or a record rule, and field
 * lists) as the roles page edits them: a matrix of model × read / create / update / delete / each action, where a
 * cell is none, own records, all, or a custom rule. The translation both ways is faithful: what the matrix
 * cannot express stays a custom rule (or, for models and keys it does not know, is kept as it was), so saving
 * an unchanged matrix gives the permissions back. `false` and a missing key both mean none and come back missing.
 */

export type Rule = Record<string, unknown>;
export type Access = { kind: 'none' } | { kind: 'all' } | { kind: 'own'; field: string } | { kind: 'custom'; rule: Rule };
export type AccessKind = Access['kind'];

export const CRUD = ['read', 'create', 'update', 'delete'] as const;
export type Crud = (typeof CRUD)[number];

export interface ModelRow {
  model: string;
  crud: Record<Crud, Access>;
  /** Per action the model declares. */
  actions: Record<string, Access>;
  /** Fields the role may read / write; `null`: all (write: the ones it may read). */
  fields: { read: string[] | null; write: string[] | null };
  /** What the matrix does not know of this model's permission (an action the model no longer declares): kept. */
  kept: Rule;
}

export interface RoleMatrix {
  rows: ModelRow[];
  /** Permissions of models the tenant does not have now (a module switched off): kept as they are. */
  kept: Rule;
}

const isRule = (value: unknown): value is Rule => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The fields whose value is a user, so that "own records" is `{field: "$user"}`: the model's links to users, then its author. */
export function ownerFields(model: ModelMeta): string[] {
  const users = Object.entries(model.fields)
    .filter(([, f]) => f.kind === 'reference' && f.model === 'core.user')
    .map(([name]) => name);
  return [...users, 'created_by'];
}

export function accessOf(grant: unknown, model: ModelMeta): Access {
  if (grant === undefined || grant === false) return { kind: 'none' };
  if (grant === true) return { kind: 'all' };
  const rule = grant as Rule;
  const keys = Object.keys(rule);
  if (keys.length === 1 && rule[keys[0]] === '$user' && ownerFields(model).includes(keys[0])) return { kind: 'own', field: keys[0] };
  return { kind: 'custom', rule };
}

export function grantOf(access: Access): true | Rule | undefined {
  switch (access.kind) {
    case 'none':
      return undefined;
    case 'all':
      return true;
    case 'own':
      return { [access.field]: '$user' };
    case 'custom':
      return access.rule;
  }
}

/** A new cell of this kind on this model (own: by its first owner field; custom: starting from what the cell was). */
export function accessOfKind(kind: AccessKind, model: ModelMeta, from: Access): Access {
  if (kind === 'own') return { kind, field: from.kind === 'own' ? from.field : ownerFields(model)[0] };
  if (kind === 'custom') {
    if (from.kind === 'custom') return from;
    const grant = grantOf(from);
    return { kind, rule: isRule(grant) ? grant : {} };
  }
  return { kind };
}

function rowOf(modelId: string, model: ModelMeta, permission: Rule): ModelRow {
  const declared = new Set(model.actions.map((a) => a.name));
  const kept: Rule = {};
  for (const [key, value] of Object.entries(permission))
    if (key !== 'fields' && !(CRUD as readonly string[]).includes(key) && !declared.has(key)) kept[key] = value;
  const fields = isRule(permission.fields) ? permission.fields : {};
  return {
    model: modelId,
    crud: Object.fromEntries(CRUD.map((action) => [action, accessOf(permission[action], model)])) as Record<Crud, Access>,
    actions: Object.fromEntries(model.actions.map((a) => [a.name, accessOf(permission[a.name], model)])),
    fields: {
      read: Array.isArray(fields.read) ? [...(fields.read as string[])] : null,
      write: Array.isArray(fields.write) ? [...(fields.write as string[])] : null,
    },
    kept,
  };
}

/** The matrix of a role's permissions, a row per model the tenant has (system models are the administration's). */
export function toMatrix(permissions: Rule, models: Record<string, ModelMeta>): RoleMatrix {
  const kept: Rule = {};
  for (const [modelId, permission] of Object.entries(permissions))
    if (!models[modelId] || models[modelId].system || !isRule(permission)) kept[modelId] = permission;
  const rows = Object.entries(models)
    .filter(([, model]) => !model.system)
    .map(([modelId, model]) => rowOf(modelId, model, isRule(permissions[modelId]) ? (permissions[modelId] as Rule) : {}));
  return { rows, kept };
}

/** The permissions the matrix stands for: a model with no grant and no field list is left out. */
export function toPermissions(matrix: RoleMatrix): Rule {
  const permissions: Rule = { ...matrix.kept };
  for (const row of matrix.rows) {
    const permission: Rule = {};
    for (const [action, access] of [...Object.entries(row.crud), ...Object.entries(row.actions)]) {
      const grant = grantOf(access);
      if (grant !== undefined) permission[action] = grant;
    }
    Object.assign(permission, row.kept);
    const fields: Rule = {};
    if (row.fields.read) fields.read = row.fields.read;
    if (row.fields.write) fields.write = row.fields.write;
    if (Object.keys(fields).length > 0) permission.fields = fields;
    if (Object.keys(permission).length > 0) permissions[row.model] = permission;
  }
  return permissions;
}

const sameAccess = (a: Access, b: Access): boolean => JSON.stringify(grantOf(a)) === JSON.stringify(grantOf(b));

/** The "actions" column: the access every action of the model has, or "mixed" (none when the model has no action). */
export function actionsAccess(row: ModelRow): Access | 'mixed' | null {
  const all = Object.values(row.actions);
  if (all.length === 0) return null;
  return all.every((a) => sameAccess(a, all[0])) ? all[0] : 'mixed';
}

/** May the role read / write this field? (No list: every field; no write list: the ones it may read.) */
export function fieldAllowed(row: ModelRow, field: string, access: 'read' | 'write'): boolean {
  const list = access === 'read' ? row.fields.read : (row.fields.write ?? row.fields.read);
  return list === null || list.includes(field);
}

/** The field lists with this field allowed or not; a list that was "all" becomes the model's fields, explicitly. */
export function withField(row: ModelRow, model: ModelMeta, field: string, access: 'read' | 'write', allowed: boolean): ModelRow['fields'] {
  const current = access === 'read' ? row.fields.read : (row.fields.write ?? row.fields.read);
  const list = current ?? Object.keys(model.fields);
  const next = allowed ? (list.includes(field) ? list : [...list, field]) : list.filter((f) => f !== field);
  return access === 'read' ? { ...row.fields, read: next } : { ...row.fields, write: next };
}
