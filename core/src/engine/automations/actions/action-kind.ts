import type { ModelDef } from '../../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../../kernel/registry/tenant-registry.ts';
import type { RecordData, TenantRecords } from '../../../kernel/record-types.ts';
import type { WriteUnit } from '../../records/write-unit.ts';
import type { Announcer } from '../../notifications/notify.ts';
import type { Automation, ActionSpec, RecordChange, Trigger } from '../automation-types.ts';

/** What checking an action knows: the tenant's models, the automation's model and trigger, where the action sits. */
export interface ActionCheck {
  schema: TenantSchema;
  model: ModelDef;
  trigger: Trigger;
  /** The action's path in the body, for error details ("actions.0"). */
  path: string;
  /** Whether a webhook may name a loopback or private address (automations.webhookPrivateNetworks). */
  privateNetworks: boolean;
}

/** What running an action has: the triggering change, the records as the system in the tenant, the unit. */
export interface ActionRun {
  automation: Automation;
  model: ModelDef;
  change: RecordChange;
  tenantId: string;
  schema: TenantSchema;
  records: TenantRecords;
  unit: WriteUnit;
  /** Tells users' sockets of the notifications an action writes, after commit (the write's event sink). */
  announcer: Announcer;
  /** Wakes this node's delivery of an outbox right after the commit (other nodes find it at their next poll). */
  afterCommit(outbox: 'mail' | 'webhooks'): void;
}

/**
 * One kind of action (one file each, listed in registry.ts): `check` refuses a bad action when the admin
 * saves it (400 naming the field) and answers it normalised; `run` does it inside the write's transaction —
 * an effect outside the database (a webhook, a mail) is written to an outbox there and delivered after commit.
 */
export interface ActionKind {
  type: string;
  check(action: ActionSpec, ctx: ActionCheck): ActionSpec;
  run(action: ActionSpec, ctx: ActionRun): Promise<void>;
}

/** A value as a write takes it: a relation's id (or ids) rather than the {id, display} a stored record holds. */
export function writableValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(writableValue);
  if (value !== null && typeof value === 'object' && 'id' in value) return (value as RecordData).id;
  return value;
}
