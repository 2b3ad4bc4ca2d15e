/**
 * The public surface of @atrium/core: the only thing a module's server.ts imports. A module declares
 * (manifest.json) and, where it needs behaviour, adds hooks here; tenancy, permissions, validation,
 * versioning and events are the core's and cannot be skipped from a hook.
 */
import type { ModelId, ModelShapes, RecordData, TenantRecords } from './record-types.ts';
import type { FieldTypeDefinition } from './field-types/field-type-definition.ts';

export type { ModelShape, ModelShapes, RecordData, TenantRecords } from './record-types.ts';
export { AtriumError } from './errors.ts';
export { defineConfig, type PlatformConfigInput } from './config.ts';
export { money } from '@atrium/protocol';
export type { FieldTypeBase, FieldTypeDefinition } from './field-types/field-type-definition.ts';

export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  currency: string;
  locale: string;
}

export interface UserInfo {
  id: string;
  name: string;
  email: string;
}

/*
 * Every context is generic in the module's model shapes `T` (its generated `Models`, see `defineModule`)
 * and in the model `M` it is about; without them, records are plain `RecordData`.
 */
interface HookContext<T extends ModelShapes> {
  /** The model id, `<module>.<model>`. */
  model: string;
  tenant: TenantInfo;
  /** Who is acting; null while seed data loads. */
  user: UserInfo | null;
  /** The tenant's records, inside the same transaction (tenant isolation applies; role permissions do not). */
  records: TenantRecords<T>;
}

export interface WriteContext<T extends ModelShapes = ModelShapes, M extends ModelId<T> = ModelId<T>> extends HookContext<T> {
  op: 'create' | 'update';
  /** What is about to be written; hooks may change it or add computed fields (even read-only ones). */
  values: T[M]['values'];
  /** The record before this write (update only), as the API returns it. */
  current: T[M]['record'] | null;
  /** The action this write comes from, if any. */
  action?: string;
  /** For a one2many line written together with its parent record: that parent's model and field. */
  parent?: { model: string; field: string };
  /** Is this field being written? */
  has(field: keyof T[M]['values'] & string): boolean;
}

export interface DeleteContext<T extends ModelShapes = ModelShapes, M extends ModelId<T> = ModelId<T>> extends HookContext<T> {
  current: T[M]['record'];
}

type ActionName<T extends ModelShapes, M extends ModelId<T>> = keyof T[M]['params'] & string;

/** A mail an action sends: queued in the action's transaction, delivered after commit (docs/modules.md). */
export interface OutgoingMail {
  to: string[];
  subject: string;
  /** Plain text. */
  body: string;
  /** A report of the action's record, rendered as the acting user may read it, attached as "<display>.pdf". */
  report?: string;
  /**
   * Written on the record (through the write path, its hooks included, as the core) once SMTP accepts the
   * mail — or, without SMTP, once the mail catcher keeps it. A hook that refuses leaves the record as it is.
   */
  onAccepted?: RecordData;
}

export interface ActionContext<
  T extends ModelShapes = ModelShapes,
  M extends ModelId<T> = ModelId<T>,
  A extends ActionName<T, M> = ActionName<T, M>,
> extends HookContext<T> {
  /** The record the action runs on, as the API returns it. */
  record: T[M]['record'];
  /** The action's body, validated against the params declared in the manifest. */
  params: T[M]['params'][A];
  /** Queues a mail about this record, sent only if the action commits. */
  sendMail(mail: OutgoingMail): Promise<void>;
}

export interface ModelHooks<T extends ModelShapes = ModelShapes, M extends ModelId<T> = ModelId<T>> {
  /** Before a create or update is written: validate across fields, compute stored fields. */
  beforeWrite?(ctx: WriteContext<T, M>): void | Promise<void>;
  /** Before a delete; throw to refuse it. */
  beforeDelete?(ctx: DeleteContext<T, M>): void | Promise<void>;
  /** Handlers of the actions declared in the manifest: return the fields to write on the record. */
  actions?: { [A in ActionName<T, M>]?: (ctx: ActionContext<T, M, A>) => T[M]['values'] | void | Promise<T[M]['values'] | void> };
}

export interface ModuleDefinition<T extends ModelShapes = ModelShapes> {
  /** Hooks per model id (this module's models, or models of modules it depends on). */
  models?: string extends ModelId<T> ? Record<string, ModelHooks> : { [M in ModelId<T>]?: ModelHooks<T, M> };
  /** Field types this module adds, for its manifests and those of modules depending on it (docs/modules.md). */
  fieldTypes?: FieldTypeDefinition[];
}

/** A module's hooks as the core keeps them (what `defineModule` returns). */
export interface ModuleHooks {
  models?: Record<string, ModelHooks>;
  fieldTypes?: FieldTypeDefinition[];
}

/**
 * The id a relation value holds, however it arrives: a hook's `values` carry ids as the client sent
 * them, while `current` and `records` carry many2one values as the API returns them, `{id, display}`.
 */
export function relationId(value: unknown): string | null {
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return typeof value === 'string' ? value : null;
}

/**
 * A module's hooks. `defineModule<Models>({…})`, with `Models` from the module's models.generated.ts
 * (`npm run types`), types every hook's records, values and action parameters from the manifests.
 */
export function defineModule<T extends ModelShapes = ModelShapes>(definition: ModuleDefinition<T>): ModuleHooks {
  return definition as ModuleHooks; // the core calls hooks with records as the manifests shape them
}
