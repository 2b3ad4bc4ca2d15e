import t from 'tap';
import type { RecordData } from '@atrium/protocol';
import { sequenceChanges } from './card-sequence';

const cards = (...sequences: (number | null)[]) => sequences.map((sequence, i) => ({ id: `c${i}`, sequence }) as unknown as RecordData);
const moved = (list: RecordData[], from: number, to: number) => {
  const copy = [...list];
  const [card] = copy.splice(from, 1);
  copy.splice(to, 0, card);
  return copy;
};

t.test('a dropped card takes a sequence between its neighbours, or the column is renumbered', async (t) => {
  t.same(sequenceChanges(moved(cards(10, 20, 30), 2, 1), 'c2'), [{ id: 'c2', sequence: 15 }], 'between two: only the moved card');
  t.same(sequenceChanges(moved(cards(10, 20, 30), 2, 0), 'c2'), [{ id: 'c2', sequence: 0 }], 'at the top: before the first');
  t.same(sequenceChanges(moved(cards(10, 20, 30), 0, 2), 'c0'), [{ id: 'c0', sequence: 40 }], 'at the bottom: after the last');
  t.same(
    sequenceChanges(moved(cards(10, 11, 30), 2, 1), 'c2'),
    [
      { id: 'c2', sequence: 20 },
      { id: 'c1', sequence: 30 },
    ],
    'no room: renumbered by tens, only the changed ones',
  );
  t.same(
    sequenceChanges(moved(cards(null, null), 1, 0), 'c1'),
    [
      { id: 'c1', sequence: 10 },
      { id: 'c0', sequence: 20 },
    ],
    'cards without a sequence get one',
  );
});
