import type { Filter } from './filter/condition.ts';

/** The shapes of `/api/meta`, `/api/me` and records, as docs/api.md describes them: the core serves them, the shell reads them. */

/**
 * What a value is, whatever its field type is called (a module may register types of its own): the
 * shell decides by this and by the widget, never by the type's name.
 */
export type ValueKind =
  | 'text'
  | 'integer'
  | 'number'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'json'
  | 'uuid'
  | 'reference'
  | 'links'
  | 'lines';

export interface SelectionOption {
  value: string;
  label: string;
}

export interface FieldMeta {
  /** The field type's name (for people; the shell goes by `kind` and `widget`). */
  type: string;
  kind: ValueKind;
  /** How to show and edit it: text, textarea, email, phone, url, integer, number, money, checkbox, date, datetime, select, many2one, many2many, lines, json, priority… */
  widget: string;
  /** A unit shown after the value ("%"). */
  suffix?: string;
  /** `/groups?by=` takes it (a list's group-by). */
  groupable?: boolean;
  /** `/groups?sum=` totals it (a group's sums). */
  summable?: boolean;
  label: string;
  help?: string;
  required: boolean;
  /** This user may not write it (here). */
  readonly: boolean;
  /** Set by the server: nobody writes it (a line subtotal). */
  computed?: boolean;
  default?: unknown;
  options?: SelectionOption[];
  /** Target model of a relation. */
  model?: string;
  /** one2many: the target's field that points back. */
  inverse?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  minLength?: number;
  /** A relation: the records offered, as a filter where "$record.<field>" is that field of the record edited. */
  domain?: Filter;
  /** A many2one: fields copied from the record picked (here ← there). */
  fill?: Record<string, string>;
}

export interface ActionMeta {
  name: string;
  label: string;
  when?: Filter;
  params: Record<string, FieldMeta>;
  style: 'primary' | 'secondary' | 'danger';
}

export interface ModelMeta {
  label: string;
  /** The label of several ("Taxes"). */
  plural: string;
  display: string | null;
  /** The fields the search box looks in (the model's search view). */
  search: string[];
  order: string;
  system: boolean;
  /** The model has a chatter (GET/POST /api/records/MODEL/ID/messages, activities, followers). */
  chatter?: true;
  fields: Record<string, FieldMeta>;
  /** States in which a record is read-only but for its actions, and why. */
  readonly_when?: { when: Filter; message: string }[];
  actions: ActionMeta[];
  /** Printable documents (GET /api/records/MODEL/ID/reports/NAME → PDF). */
  reports: { name: string; label: string }[];
  can: { create: boolean; update: boolean; delete: boolean };
}

export interface ViewFilter {
  label: string;
  filter: Filter;
  default?: boolean;
  /** Filters of one group combine with OR, groups with AND; none: a group of its own. */
  group?: string;
}

interface ViewBase {
  id: string;
  model: string;
  label?: string;
  /** The widget per field in this view, instead of the field's own. */
  widgets?: Record<string, string>;
}

export interface KanbanViewMeta extends ViewBase {
  type: 'kanban';
  group_by: string;
  sum?: string;
  card: string[];
  quick_create?: string[];
  form?: string;
  filters?: ViewFilter[];
}

export interface ListViewMeta extends ViewBase {
  type: 'list';
  columns: string[];
  sum?: string[];
  form?: string;
  filters?: ViewFilter[];
}

export type FormLayoutItem = string[] | { title?: string; rows: string[][] };

export interface FormViewMeta extends ViewBase {
  type: 'form';
  layout: FormLayoutItem[];
  /** Columns shown for each one2many field, edited inline. */
  lines?: Record<string, string[]>;
}

export type ViewMeta = KanbanViewMeta | ListViewMeta | FormViewMeta;

export interface MenuMeta {
  module: string;
  label: string;
  view: string;
  sequence: number;
  icon?: string;
}

export interface ModuleMeta {
  name: string;
  label: string;
  version: string;
  depends: string[];
}

export interface Meta {
  modules: ModuleMeta[];
  models: Record<string, ModelMeta>;
  views: Record<string, ViewMeta>;
  menus: MenuMeta[];
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  currency: string;
  locale: string;
}

export interface User {
  id: string;
  name: string;
  email: string;
}

export interface Me {
  user: User;
  tenant: Tenant;
  roles: string[];
  modules: string[];
  /** The user's CASL rules, packed (`packRules`). */
  abilities: unknown[];
}

/** A relation value as the API returns it. */
export interface RecordRef {
  id: string;
  display: string | null;
}

export interface RecordData {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  updated_by: string | null;
  [field: string]: unknown;
}

export interface Group {
  key: unknown;
  label: string | null;
  count: number;
  sum?: string | number;
}

export interface HistoryEntry {
  cursor: string;
  op: 'created' | 'updated' | 'deleted';
  at: string;
  actor: RecordRef | null;
  changes: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

/** A record event from the websocket. */
export interface RecordEvent {
  type: 'event';
  cursor: string;
  op: 'created' | 'updated' | 'deleted';
  model: string;
  id: string;
  version: number;
  record?: RecordData;
}

/** The kinds of the columns the core adds to every record (they are not in a model's `fields`). */
export const SYSTEM_FIELD_KINDS: Readonly<Record<string, ValueKind>> = {
  id: 'uuid',
  version: 'integer',
  created_at: 'datetime',
  updated_at: 'datetime',
  created_by: 'uuid',
  updated_by: 'uuid',
};

/** The kind of each field of a model as /api/meta describes it, system fields included (the matcher's and the order's KindOf). */
export const kindsOf =
  (model: Pick<ModelMeta, 'fields'>) =>
  (field: string): ValueKind =>
    Object.hasOwn(SYSTEM_FIELD_KINDS, field) ? SYSTEM_FIELD_KINDS[field] : (model.fields[field]?.kind ?? 'text');
