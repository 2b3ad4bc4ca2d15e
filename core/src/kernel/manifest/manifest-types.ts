/**
 * The shape of a manifest.json, as core/schema/module.schema.json validates it: test/tooling/manifest-types.test.ts
 * fails when an interface here and the object the schema declares differ in a property, its optionality or an enum.
 */

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
  /** `true`: a b-tree on (tenant_id, field); "trigram": a GIN trigram index for `$ilike '%text%'` (text fields). */
  index?: boolean | 'trigram';
  maxLength?: number;
  minLength?: number;
  min?: number;
  max?: number;
  options?: (string | { value: string; label?: string })[];
  model?: string;
  inverse?: string;
  /** many2one: restrict | cascade; many2many: restrict | remove (see docs/modules.md). */
  ondelete?: 'restrict' | 'cascade' | 'remove';
  /**
   * many2one / many2many: the records the shell offers, as a filter over the target model; "$record.<field>"
   * stands for that field's value on the record being edited (`{ "partner": "$record.customer" }`).
   */
  domain?: Record<string, unknown>;
  /** many2one: picking a record copies its fields into this record's (`{ "unit_price": "list_price" }`: here ← there). */
  fill?: Record<string, string>;
}

/** A state in which a record may no longer be edited (only its actions still apply), and why. */
export interface ReadonlyWhenManifest {
  /** A filter over the record, as an action's `when`. */
  when: Record<string, unknown>;
  /** Shown on the form and returned with the 409 that refuses a write. */
  message: string;
}

export interface ModelManifest {
  label?: string;
  /** The label of several, when English's regular plural is wrong ("People"). */
  plural?: string;
  description?: string;
  /** Records get a chatter: messages, notes, followers, attachments and activities (docs/api.md). */
  chatter?: boolean;
  display?: string;
  /** The fields a search box looks in: text fields, and many2one fields (through their display). */
  search?: string[];
  order?: string;
  fields: Record<string, FieldManifest>;
  indexes?: string[][];
  unique?: string[][];
  readonly_when?: ReadonlyWhenManifest[];
  /** A many2one field to core.user: whoever it comes to name (other than the writer) is notified. */
  assignee?: string;
  /** Printable documents, by name (see ReportManifest). */
  reports?: Record<string, ReportManifest>;
}

/** One block of a report, top to bottom; fields are the model's (a table's columns: its line model's). */
export type ReportBlock =
  | { type: 'company' }
  | { type: 'address'; field: string; title?: string; lines: (string | string[])[] }
  | { type: 'fields'; fields: string[] }
  | { type: 'table'; field: string; columns: string[] }
  | { type: 'totals'; fields: string[] }
  | { type: 'text'; field: string; title?: string };

export interface ReportTemplate {
  /** Printed before the record's display: the first whose `when` matches the record. */
  title?: { text: string; when?: Record<string, unknown> }[];
  blocks: ReportBlock[];
}

export interface ReportManifest {
  label?: string;
  template: ReportTemplate;
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
  /** Filters of one group combine with OR, groups with AND; a filter without a group is a group of its own. */
  group?: string;
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
