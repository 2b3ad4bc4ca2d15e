import type { FieldDef, ModelDef } from './registry-types.ts';

function field(name: string, type: string, required = true): FieldDef {
  return {
    name,
    type,
    label: name.charAt(0).toUpperCase() + name.slice(1),
    required,
    readonly: true,
    index: false,
    ondelete: 'restrict',
    column: name,
    module: 'core',
    requires: [],
    path: '',
  };
}

function coreModel(
  name: string,
  table: string,
  label: string,
  plural: string,
  display: string,
  fields: FieldDef[],
  search = [display],
): ModelDef {
  return {
    id: `core.${name}`,
    module: 'core',
    name,
    table,
    label,
    plural,
    chatter: false,
    display,
    search,
    order: display,
    fields: Object.assign(Object.create(null), Object.fromEntries(fields.map((f) => [f.name, f]))),
    indexes: [],
    unique: [],
    actions: Object.create(null),
    readonlyWhen: [],
    reports: Object.create(null),
    system: true,
  };
}

/**
 * The core's own models: read through the record API (users by everyone, for many2one fields; the others by
 * admins, who may read everything), written only by the administration API, through the same unit of work as
 * module records, so each write has its event and its history. No password (hash) is a field: it never
 * reaches an event.
 */
export const coreModels = (): ModelDef[] => [
  coreModel(
    'user',
    'core_users',
    'User',
    'Users',
    'name',
    [field('name', 'string'), field('email', 'email'), field('active', 'boolean', false)],
    ['name', 'email'],
  ),
  coreModel('role', 'core_roles', 'Role', 'Roles', 'name', [
    field('name', 'string'),
    field('builtin', 'boolean'),
    field('permissions', 'json'),
  ]),
  coreModel('company', 'core_tenants', 'Company', 'Companies', 'name', [
    field('name', 'string'),
    field('slug', 'string'),
    field('address', 'text', false),
    field('currency', 'string'),
    field('locale', 'string'),
  ]),
  coreModel('module', 'core_tenant_modules', 'Module', 'Modules', 'module', [field('module', 'string'), field('enabled', 'boolean')]),
];
