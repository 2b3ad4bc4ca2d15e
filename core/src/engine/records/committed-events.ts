import type { LoggedEvent } from '../events/event-log.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import type { PendingEvent } from './write-unit.ts';

/**
 * The events a write just committed, as this node's sockets get them, built from what the commit returned
 * (each event statement answers its cursor and the record's snapshot, see outbox.ts) instead of read back
 * from core_events. Only when every one is a creation: an update or a deletion is judged on the record's
 * previous snapshot in the log (`before`), which the write does not have.
 */
export function committedEvents(
  pending: readonly PendingEvent[],
  rows: readonly { seq: number | string; record: unknown }[],
  requestId: string | null,
  ageSeconds: number,
): LoggedEvent[] | undefined {
  if (pending.length === 0 || pending.some((e) => e.op !== 'created')) return undefined;
  return pending.map((e, i) => {
    const record = rows[i].record as RecordData;
    return {
      seq: Number(rows[i].seq),
      model: e.model.id,
      id: e.id,
      op: e.op,
      version: record.version as number,
      record,
      before: null,
      requestId,
      ageSeconds,
    };
  });
}
