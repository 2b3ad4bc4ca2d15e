import t from 'tap';
import { applyEvent } from './live-store';
import type { ModelMeta, RecordData, RecordEvent } from '@atrium/protocol';
import { recordComparator } from '@atrium/protocol';

const model = {
  fields: { name: { type: 'string', kind: 'text' }, stage: { type: 'many2one', kind: 'reference' } },
} as unknown as ModelMeta;
const byName = recordComparator(model, 'name');
const rec = (id: string, name: string, version = 1, stage = 'a'): RecordData =>
  ({ id, name, version, stage: { id: stage, display: stage } }) as unknown as RecordData;
const event = (op: RecordEvent['op'], record: RecordData): RecordEvent => ({
  type: 'event',
  cursor: '1',
  op,
  model: 'm',
  id: record.id,
  version: record.version,
  record: op === 'deleted' ? undefined : record,
});
const inA = (r: RecordData) => (r.stage as { id: string }).id === 'a';
const names = (records: RecordData[] | null) => records?.map((r) => r.name);

t.test('events change a sorted, filtered list of records, each at most once', async (t) => {
  const shown = [rec('1', 'alpha'), rec('3', 'gamma')];
  t.same(
    names(applyEvent(shown, event('created', rec('2', 'beta')), inA, byName)),
    ['alpha', 'beta', 'gamma'],
    'a new record at its place',
  );
  t.equal(applyEvent(shown, event('created', rec('2', 'beta', 1, 'b')), inA, byName), null, 'not one of another column');
  t.same(names(applyEvent(shown, event('updated', rec('1', 'zeta', 2)), inA, byName)), ['gamma', 'zeta'], 'a rename moves it');
  t.same(names(applyEvent(shown, event('updated', rec('1', 'alpha', 2, 'b')), inA, byName)), ['gamma'], 'a move elsewhere removes it');
  t.equal(applyEvent(shown, event('updated', rec('1', 'old', 1)), inA, byName), null, 'a version already shown changes nothing');
  t.same(names(applyEvent(shown, event('deleted', rec('3', 'gamma', 1)), inA, byName)), ['alpha']);
  t.equal(
    applyEvent([rec('1', 'alpha', 3)], event('deleted', rec('1', 'alpha', 2)), inA, byName),
    null,
    'a deletion older than the shown version is stale',
  );
  t.equal(
    applyEvent(shown, event('created', rec('9', 'omega')), inA, byName, true),
    null,
    'after the last shown one, when more follow, it waits for them',
  );
  t.same(names(applyEvent(shown, event('updated', rec('1', 'omega', 2)), inA, byName, true)), ['gamma'], 'and one moving there leaves');
});

t.test('the order follows the server: nulls first ascending, a many2one by its name, the id last', async (t) => {
  const compare = recordComparator(
    { fields: { n: { type: 'number', kind: 'number' }, stage: { type: 'many2one', kind: 'reference' } } } as unknown as ModelMeta,
    '-n,stage',
  );
  const rows = [
    { id: 'b', n: 1, stage: { display: 'B' } },
    { id: 'a', n: null, stage: null },
    { id: 'c', n: 1, stage: { display: 'A' } },
    { id: 'd', n: 5, stage: null },
  ] as unknown as RecordData[];
  t.same(
    [...rows].sort(compare).map((r) => r.id),
    ['d', 'c', 'b', 'a'],
  );
});
