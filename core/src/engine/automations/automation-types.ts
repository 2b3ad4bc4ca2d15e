import type { RecordData } from '../../kernel/record-types.ts';

/** When an automation runs (docs/api.md, "Automations"). */
export interface Trigger {
  on: 'create' | 'update' | 'create_or_update' | 'delete' | 'time';
  /** update: only when one of these fields changed. */
  fields?: string[];
  /** A condition in the filter language, judged on the record after the write (before it, for a delete). */
  when?: Record<string, unknown>;
  /** time: the date (or datetime) field, and how many days after it (negative: before). */
  field?: string;
  offset_days?: number;
}

/** An action as the admin wrote it: `type` names its kind in the registry (actions/registry.ts). */
export type ActionSpec = { type: string } & Record<string, unknown>;

export interface Automation {
  id: string;
  name: string;
  model: string;
  trigger: Trigger;
  actions: ActionSpec[];
  active: boolean;
}

/** What happened to a record, as an automation judges it. */
export interface RecordChange {
  op: 'created' | 'updated' | 'deleted' | 'time';
  /** The record after the write (before it, for a delete), as the core stores it. */
  record: RecordData;
  /** The fields the write gave; for an update, only those whose value changed when the value before is known. */
  changed: string[];
}

/** Automations triggering automations stop at this depth (docs/decisions.md). */
export const MAX_DEPTH = 5;
