import type {
  ModuleManifest,
  ReadonlyWhenManifest,
  ReportTemplate,
  RolePermissionsManifest,
  ViewManifest,
  ViewPatchManifest,
} from '../manifest/manifest-types.ts';
import type { ModuleHooks } from '../module-api.ts';

export interface SelectionOption {
  value: string;
  label: string;
}

/** A field as the core uses it: defaults applied, relations resolved to tables and columns. */
export interface FieldDef {
  name: string;
  /** Its field type's name (kernel/field-types). */
  type: string;
  /** The shell's widget the manifest names, instead of its type's. */
  widget?: string;
  label: string;
  help?: string;
  required: boolean;
  readonly: boolean;
  default?: unknown;
  index: boolean | 'trigram';
  maxLength?: number;
  minLength?: number;
  min?: number;
  max?: number;
  options?: SelectionOption[];
  /** Target model id of a relation. */
  target?: string;
  /** one2many: the target's many2one that points back. */
  inverse?: string;
  /**
   * When the target record is deleted. many2one: refuse (restrict) or delete this record too (cascade).
   * many2many: refuse while any record holds it (restrict), or take it out of every holder through the
   * write path, with a new version and an event (remove).
   */
  ondelete: 'restrict' | 'cascade' | 'remove';
  /** The column holding the value (many2one: <field>_id); none for one2many and many2many. */
  column?: string;
  /** many2many: the join table (<table>__<field>) with columns source_id and target_id. */
  relTable?: string;
  /** The module that declared the field, and the others that must be enabled for it to exist. */
  module: string;
  requires: string[];
  /** Where it is declared, for messages: "/models/order/fields/state". */
  path: string;
  /** Relations: the shell's filter on the records offered (see FieldManifest.domain). */
  domain?: Record<string, unknown>;
  /** many2one: fields copied from the picked record (see FieldManifest.fill). */
  fill?: Record<string, string>;
  /**
   * A tenant's own field (/api/admin/custom-fields): its value is the key `name` of the row's `custom`
   * jsonb column, not a column of its own (engine/field-types/column-sql.ts).
   */
  custom?: boolean;
}

export interface ActionDef {
  name: string;
  label: string;
  when?: Record<string, unknown>;
  params: Record<string, FieldDef>;
  style: 'primary' | 'secondary' | 'danger';
}

export interface ReportDef {
  name: string;
  label: string;
  template: ReportTemplate;
}

export interface ModelDef {
  id: string;
  module: string;
  name: string;
  table: string;
  label: string;
  /** Several of them, for "Search taxes…" (the manifest's `plural`, else the label's English plural). */
  plural: string;
  /** Records have a chatter (messages, followers, attachments, activities). */
  chatter: boolean;
  display?: string;
  /** The fields a search box looks in (its search view): the declared ones, else the display. */
  search: string[];
  order: string;
  fields: Record<string, FieldDef>;
  indexes: string[][];
  unique: string[][];
  actions: Record<string, ActionDef>;
  /** States in which the record is read-only except for its actions (see ReadonlyWhenManifest). */
  readonlyWhen: ReadonlyWhenManifest[];
  /** The many2one to core.user whose new value is notified (see engine/notifications/assignment.ts). */
  assignee?: string;
  /** Printable documents, by name (GET /api/records/MODEL/ID/reports/NAME). */
  reports: Record<string, ReportDef>;
  /** Core models (core.user) are readable through the record API but written only by the core. */
  system: boolean;
}

export interface ViewDef extends ViewManifest {
  id: string;
  module: string;
}

export interface ViewPatchDef extends ViewPatchManifest {
  view: string;
  module: string;
  requires: string[];
}

export interface MenuDef {
  module: string;
  label: string;
  view: string;
  sequence: number;
  icon?: string;
}

/** Role permissions contributed by a module (or by one of its extensions, active with its `requires`). */
export interface PermissionGrant {
  module: string;
  requires: string[];
  role: string;
  permissions: RolePermissionsManifest;
}

export interface LoadedModule {
  name: string;
  dir: string;
  manifest: ModuleManifest;
  hooks: ModuleHooks;
}

/** Every declared model, view, menu and grant of the loaded modules (see Registry). */
export interface ModuleRegistry {
  readonly modules: ReadonlyMap<string, LoadedModule>;
  readonly models: ReadonlyMap<string, ModelDef>;
  readonly views: ReadonlyMap<string, ViewDef>;
  readonly patches: readonly ViewPatchDef[];
  readonly menus: readonly MenuDef[];
  readonly grants: readonly PermissionGrant[];
  model(id: string): ModelDef | undefined;
  /** Every module this one needs, directly or not. */
  dependencyClosure(name: string): Set<string>;
}
