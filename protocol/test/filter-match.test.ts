import t from 'tap';
import { conditionOf, matchesFilter } from '../src/filter/filter-tree.ts';
import { kindsOf, type FieldMeta, type ValueKind } from '../src/meta-types.ts';

const field = (kind: ValueKind): FieldMeta => ({ type: kind, kind, widget: kind, label: kind, required: false, readonly: false });
const model = {
  fields: {
    name: field('text'),
    stage: field('reference'),
    amount: field('decimal'),
    priority: field('selection'),
    archived: field('boolean'),
    owner: field('reference'),
    tags: field('links'),
    qty: field('integer'),
    due: field('date'),
    at: field('datetime'),
  },
};
const kindOf = kindsOf(model);
const deal = {
  id: 'd1',
  name: 'Office chairs',
  stage: { id: 's1', display: 'New' },
  amount: '1200.50',
  priority: '2',
  archived: false,
  owner: null,
  tags: [{ id: 't1', display: 'VIP' }],
  qty: 10,
  due: '2026-03-01',
  at: '2026-03-01T10:00:00+02:00',
  created_at: '2026-01-01T00:00:00Z',
};
const matches = (filter: Record<string, unknown>) => matchesFilter(filter, deal, kindOf);

t.test('the filter language, as the server reads it', async (t) => {
  t.ok(matches({ stage: 's1' }), 'a many2one equals its id');
  t.ok(matches({ archived: false, priority: { $in: ['1', '2'] } }), 'fields are and-ed; $in');
  t.ok(matches({ amount: { $gt: 1000, $lte: '1200.50' } }), 'money compares by value');
  t.notOk(matches({ amount: { $gt: '1200.5' } }), '1200.50 is 1200.5');
  t.ok(matches({ owner: null }), 'null is $null: true');
  t.ok(matches({ owner: { $ne: 'u1' } }), '$ne matches an empty value');
  t.notOk(matches({ owner: 'u1' }));
  t.notOk(matches({ owner: { $in: ['u1'] } }), 'an empty value is in no list');
  t.ok(matches({ owner: { $nin: ['u1'] } }), 'and out of every list');
  t.ok(matches({ name: { $ilike: '%CHAIR%' } }), '$ilike ignores case');
  t.notOk(matches({ name: { $ilike: 'chair%' } }), 'and is anchored');
  t.ok(matches({ name: { $ilike: 'office_chairs' } }), '_ is one character');
  t.notOk(matches({ name: { $ilike: 'office\\_chairs' } }), 'an escaped _ is itself');
  t.ok(matches({ tags: 't1' }), 'a many2many equals any of its ids');
  t.ok(matches({ tags: { $nin: ['t2'] } }));
  t.notOk(matches({ tags: { $null: true } }), 'a many2many with links is not empty');
  t.ok(matches({ $or: [{ stage: 'x' }, { $not: { archived: true } }] }), '$or, $not');
  t.notOk(matches({ $and: [{ stage: 's1' }, { priority: '0' }] }), '$and');
});

t.test('values compare as the database compares their columns (by kind, not by looks)', async (t) => {
  t.ok(matches({ priority: { $gt: '10' } }), 'a selection is text: "2" after "10", though both look like numbers');
  t.ok(matches({ qty: { $gt: 9 } }), 'an integer by value');
  t.ok(matches({ amount: { $lt: '9999' } }), 'an amount by value, not as text ("1200.50" > "9999" as text)');
  t.ok(matches({ due: { $gte: '2026-03-01', $lt: '2026-03-02' } }), 'a date as its text');
  t.ok(matches({ at: '2026-03-01T08:00:00Z' }), 'an instant by the time it names, whatever its offset');
  t.ok(matches({ created_at: { $lt: '2026-01-02T00:00:00Z' } }), 'system fields have their kinds too');
  t.ok(matches({ archived: { $lt: true } }), 'false before true');
});

t.test('$ilike follows PostgreSQL: backslash escapes, code points, per-character lower case', async (t) => {
  const row = (name: string) => ({ id: 'x', name });
  const like = (pattern: string, name: string) => matchesFilter({ name: { $ilike: pattern } }, row(name), kindOf);
  t.ok(like('a\\\\b', 'a\\b'), 'an escaped backslash is a backslash');
  t.ok(like('a\\b', 'ab'), 'a backslash makes the next character literal');
  t.notOk(like('a\\b', 'a\\b'));
  t.ok(like('a\\%b', 'a%b'));
  t.notOk(like('a\\%b', 'axxb'));
  t.ok(like('_', '😀'), '_ is one code point');
  t.ok(like('i', 'İ'), 'İ lower-cases to i');
  t.ok(like('é', 'É'));
  t.ok(like('a.b', 'a.b'), 'regular expression characters are literal');
  t.notOk(like('a.b', 'axb'));
});

t.test('conditionOf reads the tree the core parser gives', async (t) => {
  t.same(conditionOf({ a: 1 }), { kind: 'compare', field: 'a', op: 'eq', value: 1 });
  t.same(conditionOf({ a: null }), { kind: 'compare', field: 'a', op: 'null', value: true });
  t.same(conditionOf({ a: { $gt: 1, $lt: 5 } }), {
    kind: 'and',
    items: [
      { kind: 'compare', field: 'a', op: 'gt', value: 1 },
      { kind: 'compare', field: 'a', op: 'lt', value: 5 },
    ],
  });
  t.same(conditionOf({ $or: [{ a: 1 }], $not: { b: [1] } }), {
    kind: 'and',
    items: [
      { kind: 'or', items: [{ kind: 'compare', field: 'a', op: 'eq', value: 1 }] },
      { kind: 'not', item: { kind: 'compare', field: 'b', op: 'eq', value: [1] } },
    ],
  });
  t.same(conditionOf({}), { kind: 'and', items: [] }, 'an empty filter is an empty and: everything');
  t.ok(matchesFilter({}, deal, kindOf));
});
