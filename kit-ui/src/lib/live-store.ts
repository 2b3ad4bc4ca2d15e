import type { RecordData, RecordEvent } from '@atrium/protocol';
import { insertSorted } from '@atrium/protocol';

/**
 * What a socket event does to a sorted, filtered list of records on screen: the record appears, moves,
 * changes or disappears. Idempotent: an event no newer than the shown version changes nothing, so a
 * replayed event, or the echo of the user's own save, is never applied twice. When more records follow
 * the shown ones (`more`: a later page, a column not fully loaded), one sorting after all of them is left
 * to that later part rather than shown out of place.
 */
export function applyEvent(
  records: RecordData[],
  event: RecordEvent,
  belongs: (record: RecordData) => boolean,
  compare: (a: RecordData, b: RecordData) => number,
  more = false,
): RecordData[] | null {
  const index = records.findIndex((r) => r.id === event.id);
  const current = index >= 0 ? records[index] : undefined;
  const without = index >= 0 ? [...records.slice(0, index), ...records.slice(index + 1)] : records;
  // A deletion carries the version the record had: one older than the shown version is stale.
  if (event.op === 'deleted') return current && event.version >= current.version ? without : null;
  if (!event.record || (current && event.version <= current.version)) return null;
  const record = { ...current, ...event.record } as RecordData;
  const placed = belongs(record) ? insertSorted(without, record, compare) : without;
  if (more && placed.at(-1)?.id === record.id) return current ? without : null;
  return placed === without && !current ? null : placed;
}
