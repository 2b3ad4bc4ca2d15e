/**
 * The public surface of @atrium/core: the only thing a module's server.ts imports. A module declares
 * (manifest.json) and, where it needs behaviour, adds hooks here; tenancy, permissions, validation,
 * versioning and events are the core's and cannot be skipped from a hook.
 */
import type { RecordData, TenantRecords } from './record-types.ts';

export type { RecordData, TenantRecords } from './record-types.ts';
export { AtriumError } from './errors.ts';
export { defineConfig, type PlatformConfigInput } from './config.ts';
export * as money from './money.ts';

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

interface HookContext {
  /** The model id, `<module>.<model>`. */
  model: string;
  tenant: TenantInfo;
  /** Who is acting; null while seed data loads. */
  user: UserInfo | null;
  /** The tenant's records, inside the same transaction (tenant isolation applies; role permissions do not). */
  records: TenantRecords;
}

export interface WriteContext extends HookContext {
  op: 'create' | 'update';
  /** What is about to be written; hooks may change it or add computed fields (even read-only ones). */
  values: RecordData;
  /** The record before this write (update only), as the API returns it. */
  current: RecordData | null;
  /** The action this write comes from, if any. */
  action?: string;
  /** For a one2many line written together with its parent record: that parent's model and field. */
  parent?: { model: string; field: string };
  /** Is this field being written? */
  has(field: string): boolean;
}

export interface DeleteContext extends HookContext {
  current: RecordData;
}

export interface ActionContext extends HookContext {
  /** The record the action runs on, as the API returns it. */
  record: RecordData;
  /** The action's body, validated against the params declared in the manifest. */
  params: RecordData;
}

export interface ModelHooks {
  /** Before a create or update is written: validate across fields, compute stored fields. */
  beforeWrite?(ctx: WriteContext): void | Promise<void>;
  /** Before a delete; throw to refuse it. */
  beforeDelete?(ctx: DeleteContext): void | Promise<void>;
  /** Handlers of the actions declared in the manifest: return the fields to write on the record. */
  actions?: Record<string, (ctx: ActionContext) => RecordData | void | Promise<RecordData | void>>;
}

export interface ModuleDefinition {
  /** Hooks per model id (this module's models, or models of modules it depends on). */
  models?: Record<string, ModelHooks>;
}

/**
 * The id a relation value holds, however it arrives: a hook's `values` carry ids as the client sent
 * them, while `current` and `records` carry many2one values as the API returns them, `{id, display}`.
 */
export function relationId(value: unknown): string | null {
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return typeof value === 'string' ? value : null;
}

export function defineModule(definition: ModuleDefinition): ModuleDefinition {
  return definition;
}
