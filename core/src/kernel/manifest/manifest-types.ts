/** The shape of a manifest.json, as core/schema/module.schema.json validates it. */

export interface FieldManifest {
  /** A field type's name: one of the core's (kernel/field-types) or one a module registers. */
  type: string;
  /** How the shell shows it, instead of the type's default widget ("priority"). */
  widget?: string;
  label?: string;
  help?: string;
  required?: boolean;
  readonly?: boolean;
  default?: unknown;
  index?: boolean;
  maxLength?: number;
  minLength?: number;
  min?: number;
  max?: number;
  options?: (string | { value: string; label?: string })[];
  model?: string;
  inverse?: string;
  /** many2one: restrict | cascade; many2many: restrict | remove (see docs/modules.md). */
  ondelete?: 'restrict' | 'cascade' | 'remove';
}

export interface ModelManifest {
  label?: string;
  description?: string;
  display?: string;
  order?: string;
  fields: Record<string, FieldManifest>;
  indexes?: string[][];
  unique?: string[][];
}

/** true = on every record of the tenant; an object = a record rule in the filter language. */
export type Grant = boolean | Record<string, unknown>;

export interface ModelPermissionManifest {
  read?: Grant;
  create?: Grant;
  update?: Grant;
  delete?: Grant;
  fields?: { read?: string[]; write?: string[] };
  [action: string]: Grant | { read?: string[]; write?: string[] } | undefined;
}

/** Per model id: what one role may do. Also the shape of a tenant-defined role's permissions. */
export type RolePermissionsManifest = Record<string, ModelPermissionManifest>;

export interface ActionManifest {
  label?: string;
  when?: Record<string, unknown>;
  params?: Record<string, FieldManifest>;
  style?: 'primary' | 'secondary' | 'danger';
}

export interface ViewPatchManifest {
  after?: string;
  rows?: string[][];
  columns?: string[];
  card?: string[];
  lines?: Record<string, string[]>;
}

export interface ViewFilterManifest {
  label: string;
  filter: Record<string, unknown>;
  default?: boolean;
}

export type FormLayoutItem = string[] | { title?: string; rows: string[][] };

export interface ViewManifest {
  type: 'kanban' | 'form' | 'list';
  model: string;
  label?: string;
  /** The shell's widget per field here, instead of the field's own. */
  widgets?: Record<string, string>;
  group_by?: string;
  sum?: string | string[];
  card?: string[];
  quick_create?: string[];
  form?: string;
  filters?: ViewFilterManifest[];
  layout?: FormLayoutItem[];
  lines?: Record<string, string[]>;
  columns?: string[];
}

export interface MenuManifest {
  label: string;
  view: string;
  sequence?: number;
  icon?: string;
}

export interface ExtensionManifest {
  requires?: string[];
  models?: Record<string, { fields: Record<string, FieldManifest> }>;
  views?: Record<string, ViewPatchManifest>;
  permissions?: Record<string, RolePermissionsManifest>;
}

export interface ModuleManifest {
  name: string;
  label: string;
  version: string;
  description?: string;
  depends?: string[];
  models?: Record<string, ModelManifest>;
  permissions?: Record<string, RolePermissionsManifest>;
  actions?: Record<string, Record<string, ActionManifest>>;
  views?: Record<string, ViewManifest>;
  menus?: MenuManifest[];
  data?: string[];
  demo?: string[];
  extensions?: ExtensionManifest[];
}
