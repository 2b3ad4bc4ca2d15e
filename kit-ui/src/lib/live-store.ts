import type { RecordData, RecordEvent } from './meta-types';
import { insertSorted } from './record-order';

/**
 * What a socket event does to a sorted, filtered list of records on screen: the record appears, moves,
 * changes or disappears. Idempotent: an event no newer than the shown version changes nothing, so a
 * replayed event, or the echo of the user's own save, is never applied twice.
 */
export function applyEvent(
  records: RecordData[],
  event: RecordEvent,
  belongs: (record: RecordData) => boolean,
  compare: (a: RecordData, b: RecordData) => number,
): RecordData[] | null {
  const index = records.findIndex((r) => r.id === event.id);
  const current = index >= 0 ? records[index] : undefined;
  const without = index >= 0 ? [...records.slice(0, index), ...records.slice(index + 1)] : records;
  if (event.op === 'deleted') return current ? without : null;
  if (!event.record || (current && event.version <= current.version)) return null;
  const record = { ...current, ...event.record } as RecordData;
  if (!belongs(record)) return current ? without : null;
  return insertSorted(without, record, compare);
}
