import { subject } from '@casl/ability';
import type { ModelDef } from '../kernel/registry/registry-types.ts';
import type { Permissions } from '../engine/rbac/permissions.ts';
import { maskRecords } from '../engine/rbac/field-mask.ts';
import type { RecordData } from '../kernel/record-types.ts';
import type { TenantSchema } from '../kernel/registry/tenant-registry.ts';
import type { LoggedEvent } from '../engine/events/event-log.ts';

/** Who looks at an event: a user's ability, within the modules their tenant has on (a session has both). */
export interface Viewer {
  schema: TenantSchema;
  ability: Permissions;
}

/** Does a rule let the user read every record of the model, whatever its fields hold? */
function readsEveryRecord(ability: Permissions, model: ModelDef): boolean {
  const condition = ability.condition('read', model);
  return condition !== null && condition.kind === 'and' && condition.items.length === 0;
}

/**
 * The `event` frame of one event for one viewer, serialized; null when they may not see it: the model's
 * module is off, or the read rules that REST applies hide the record. The record is masked by the same
 * maskRecords as a REST read. A deletion is judged on the record's last snapshot; without one (retention
 * removed it) only a user who may read every record of the model learns of it. An update that takes the
 * record out of the viewer's read rules (say, reassigned to someone else) reaches them as a deletion, so
 * their views drop it instead of keeping a stale copy.
 */
export function eventFrame(event: LoggedEvent, viewer: Viewer): string | null {
  const model = viewer.schema.model(event.model);
  if (!model) return null;
  const reads = (record: RecordData): boolean => viewer.ability.can('read', subject(model.id, { ...record }));
  // request_id: the X-Request-Id of the write that caused it (a client recognises its own writes); absent for the core's own.
  const frame = {
    type: 'event',
    cursor: String(event.seq),
    op: event.op,
    model: model.id,
    id: event.id,
    version: event.version,
    ...(event.requestId ? { request_id: event.requestId } : {}),
  };
  if (event.op === 'chatter') return chatterFrame(event, frame, readable(event, viewer, model, reads));
  if (!event.record) return readable(event, viewer, model, reads) ? JSON.stringify(frame) : null;
  if (!reads(event.record))
    return event.op === 'updated' && event.before && reads(event.before) ? JSON.stringify({ ...frame, op: 'deleted' }) : null;
  const [record] = maskRecords(viewer.ability, model, [event.record], (id) => viewer.schema.model(id));
  return JSON.stringify({ ...frame, record });
}

/** Whether the viewer may read the event's record as it stood: its last snapshot, else only if they read every record. */
function readable(event: LoggedEvent, viewer: Viewer, model: ModelDef, reads: (record: RecordData) => boolean): boolean {
  return event.before ? reads(event.before) : readsEveryRecord(viewer.ability, model);
}

/** `{"type": "chatter", cursor, model, id, entry}`: a timeline entry of a record the viewer may read. */
function chatterFrame(event: LoggedEvent, frame: { cursor: string; model: string; id: string }, visible: boolean): string | null {
  if (!visible) return null;
  return JSON.stringify({ type: 'chatter', cursor: frame.cursor, model: frame.model, id: frame.id, entry: event.changes });
}

/**
 * The frames of one event, each computed once per viewer key: users whose roles carry no `$user` rule about
 * reading share one (the shared ability and Permissions.viewerKey), so a thousand such sockets cost one check,
 * one mask and one serialization; such a rule makes the answer, and so the key, the user's own. Each frame
 * is encoded once, and its bytes go to every socket that shares it. `onBuild` counts the computations.
 */
export function framesOf(event: LoggedEvent, onBuild: () => void): (viewer: Viewer) => Buffer | null {
  const frames = new Map<object, Map<string, Buffer | null>>();
  return (viewer) => {
    const { sharedKey, viewerKey } = viewer.ability;
    let byViewer = frames.get(sharedKey);
    if (!byViewer) frames.set(sharedKey, (byViewer = new Map()));
    let frame = byViewer.get(viewerKey);
    if (frame === undefined) {
      const text = eventFrame(event, viewer);
      frame = text === null ? null : Buffer.from(text);
      byViewer.set(viewerKey, frame);
      onBuild();
    }
    return frame;
  };
}
