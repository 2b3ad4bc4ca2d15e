import t from 'tap';
import { insertSorted, recordComparator } from '../src/record-order.ts';
import type { ModelMeta, RecordData } from '../src/meta-types.ts';

const model = {
  fields: {
    n: { kind: 'number' },
    stage: { kind: 'reference' },
    amount: { kind: 'decimal' },
    name: { kind: 'text' },
    done: { kind: 'boolean' },
  },
} as unknown as ModelMeta;
const ids = (rows: object[], sort: string) => [...(rows as RecordData[])].sort(recordComparator(model, sort)).map((r) => r.id);

t.test(
  'the order of engine/records/sort.ts: nulls first ascending and last descending, a many2one by its display, the id last',
  async (t) => {
    const rows = [
      { id: 'b', n: 1, stage: { display: 'B' } },
      { id: 'a', n: null, stage: null },
      { id: 'c', n: 1, stage: { display: 'A' } },
      { id: 'd', n: 5, stage: null },
    ];
    t.same(ids(rows, '-n,stage'), ['d', 'c', 'b', 'a']);
    t.same(ids(rows, 'n,-stage'), ['a', 'b', 'c', 'd']);
  },
);

t.test('values in the database order', async (t) => {
  t.same(
    ids(
      [
        { id: '1', amount: '10.00' },
        { id: '2', amount: '9.50' },
        { id: '3', amount: '-1' },
      ],
      'amount',
    ),
    ['3', '2', '1'],
    'amounts by value',
  );
  t.same(
    ids(
      [
        { id: '1', name: 'b' },
        { id: '2', name: 'B' },
        { id: '3', name: 'a' },
        { id: '4', name: 'é' },
      ],
      'name',
    ),
    ['2', '3', '1', '4'],
    'text by code point (collation C), not by locale',
  );
  t.same(
    ids(
      [
        { id: '1', done: true },
        { id: '2', done: false },
      ],
      'done',
    ),
    ['2', '1'],
    'false first',
  );
  t.same(
    ids(
      [
        { id: 'b', name: 'x' },
        { id: 'a', name: 'x' },
      ],
      '-name',
    ),
    ['a', 'b'],
    'the id breaks ties, ascending',
  );
});

t.test('insertSorted puts a record where a reload would', async (t) => {
  const compare = recordComparator(model, 'n');
  const rows = [
    { id: 'a', n: 1 },
    { id: 'c', n: 3 },
  ] as unknown as RecordData[];
  t.same(
    insertSorted(rows, { id: 'b', n: 2 } as unknown as RecordData, compare).map((r) => r.id),
    ['a', 'b', 'c'],
  );
  t.same(
    insertSorted(rows, { id: 'z', n: 9 } as unknown as RecordData, compare).map((r) => r.id),
    ['a', 'c', 'z'],
  );
});
