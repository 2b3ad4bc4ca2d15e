import t from 'tap';
import { AtriumError } from '../src/kernel/errors.ts';
import { bindVariables, checkFilter, MAX_DEPTH, parseFilter } from '../src/kernel/filter/filter-language.ts';
import type { FieldDef, ModelDef } from '../src/kernel/registry/registry-types.ts';

/* The filter parser alone, on a model built here: what it accepts, how it normalises, and each refusal named. */
const field = (name: string, type: string, extra: Partial<FieldDef> = {}): FieldDef =>
  ({ name, type, label: name, required: false, readonly: false, index: false, ...extra }) as FieldDef;
const model = {
  id: 'test.deal',
  module: 'test',
  name: 'deal',
  table: 'test_deal',
  label: 'Deal',
  plural: 'Deals',
  order: 'name',
  indexes: [],
  unique: [],
  actions: {},
  readonlyWhen: [],
  reports: {},
  search: [],
  system: false,
  chatter: false,
  fields: Object.fromEntries(
    [
      field('name', 'string'),
      field('amount', 'money'),
      field('qty', 'integer'),
      field('done', 'boolean'),
      field('due', 'date'),
      field('phase', 'selection', {
        options: [
          { value: 'todo', label: 'To do' },
          { value: 'done', label: 'Done' },
        ],
      }),
      field('stage', 'many2one', { target: 'test.stage' }),
      field('tags', 'many2many', { target: 'test.tag' }),
      field('data', 'json'),
      field('secret', 'string'),
    ].map((f) => [f.name, f]),
  ),
} as ModelDef;
const parse = (filter: unknown, options = {}) => parseFilter(model, filter, { source: 'filter', ...options });
const problems = (filter: unknown, options = {}) => checkFilter(model, filter, { source: 'filter', ...options }).problems;
const UUID = '0b7e8c1e-1c1a-4c5e-9a51-3f0f3c1b2a10';

t.test('the tree: fields and-ed, null is $null, a bare value $eq, operators per field', async (t) => {
  t.same(parse({ name: 'a' }), { kind: 'compare', field: 'name', op: 'eq', value: 'a' });
  t.same(parse({ stage: null }), { kind: 'compare', field: 'stage', op: 'null', value: true });
  t.same(parse({ name: 'a', qty: { $gt: 1, $lte: 5 } }), {
    kind: 'and',
    items: [
      { kind: 'compare', field: 'name', op: 'eq', value: 'a' },
      {
        kind: 'and',
        items: [
          { kind: 'compare', field: 'qty', op: 'gt', value: 1 },
          { kind: 'compare', field: 'qty', op: 'lte', value: 5 },
        ],
      },
    ],
  });
  t.same(parse({ $or: [{ done: true }, { $not: { phase: 'todo' } }] }), {
    kind: 'or',
    items: [
      { kind: 'compare', field: 'done', op: 'eq', value: true },
      { kind: 'not', item: { kind: 'compare', field: 'phase', op: 'eq', value: 'todo' } },
    ],
  });
  t.same(parse({}), { kind: 'and', items: [] }, 'an empty filter selects everything');
  t.same(parse({ id: { $in: [UUID] } }), { kind: 'compare', field: 'id', op: 'in', value: [UUID] }, 'system fields');
});

t.test('operands are normalised for the field type', async (t) => {
  const amount = parse({ amount: { $gt: 12.5 } });
  t.match(amount, { op: 'gt', value: '12.5' }, 'an amount sent as a number is kept as exact text');
  t.match(problems({ amount: 'abc' }), [{ field: 'filter.amount', rule: 'type' }]);
  t.match(problems({ qty: '3' }), [{ field: 'filter.qty', rule: 'type' }], 'an integer is a number');
  t.match(problems({ due: '2026-02-30' }), [{ field: 'filter.due', rule: 'type' }], 'a date that is not in the calendar');
  t.match(problems({ stage: 'not-a-uuid' }), [{ field: 'filter.stage' }], 'a relation takes a record id');
  t.match(problems({ name: 'a\u0000b' }), [{ field: 'filter.name', rule: 'nul' }]);
  t.match(problems({ name: 'x'.repeat(1001) }), [{ field: 'filter.name', rule: 'type' }]);
  t.match(problems({ qty: { $in: new Array(501).fill(1) } }), [{ field: 'filter.qty', rule: 'type' }], '$in takes at most 500 values');
  t.match(problems({ qty: { $in: 1 } }), [{ field: 'filter.qty', rule: 'type' }], '$in takes a list');
  t.match(problems({ stage: { $null: 'yes' } }), [{ field: 'filter.stage', rule: 'type' }], '$null takes a boolean');
});

t.test('operators must apply to the field', async (t) => {
  t.match(problems({ done: { $gt: false } }), [{ field: 'filter.done', rule: 'operator' }], 'a boolean is not ordered');
  t.match(problems({ qty: { $ilike: '1%' } }), [{ field: 'filter.qty', rule: 'operator' }], '$ilike is for text');
  t.match(problems({ tags: { $gt: UUID } }), [{ field: 'filter.tags', rule: 'operator' }], 'a many2many by membership only');
  t.match(problems({ name: { $regex: 'a' } }), [{ field: 'filter.name', rule: 'operator' }], 'an unknown operator');
  t.match(problems({ $nor: [] }), [{ field: 'filter.$nor', rule: 'operator' }]);
  t.match(problems({ name: {} }), [{ field: 'filter.name', rule: 'operator' }], 'an object with no operator');
  t.match(problems({ $or: [] }), [{ field: 'filter.$or', rule: 'type' }], '$or takes a non-empty list');
  t.match(problems({ name: { $ilike: 'a\\' } }), [{ field: 'filter.name', rule: 'pattern' }], 'a pattern cannot end in a lone backslash');
  t.same(problems({ name: { $ilike: 'a\\\\' } }), [], 'an escaped one is fine');
});

t.test('fields: unknown, unfilterable or not readable are refused alike', async (t) => {
  t.match(problems({ nope: 1 }), [{ field: 'filter.nope', rule: 'field', message: 'unknown field "nope"' }]);
  t.match(problems({ data: 1 }), [{ field: 'filter.data', rule: 'field' }], 'json cannot be filtered on');
  t.match(
    problems({ secret: 'x' }, { fieldAllowed: (f: string) => f !== 'secret' }),
    [{ field: 'filter.secret', message: 'unknown field "secret"' }],
    'a field the user may not read looks unknown',
  );
  t.same(problems({ id: UUID }, { fieldAllowed: () => false }), [], 'system fields are always readable');
  t.match(problems({ name: 1, qty: 'x' }), [{ field: 'filter.name' }, { field: 'filter.qty' }], 'every problem at once');
});

t.test('size and depth are bounded', async (t) => {
  let deep: object = { name: 'a' };
  for (let i = 0; i < MAX_DEPTH; i++) deep = { $not: deep };
  t.match(problems(deep), [{ rule: 'depth' }]);
  t.match(problems({ $or: new Array(201).fill({ name: 'a' }) }), [{ rule: 'size' }]);
  t.match(problems([]), [{ field: 'filter.$', rule: 'type' }], 'a filter is an object');
  t.throws(() => parse({ nope: 1 }), AtriumError, 'parseFilter throws the 400');
});

t.test('variables: only in record rules, bound later', async (t) => {
  t.match(problems({ stage: '$user' }), [{ field: 'filter.stage', message: /only allowed in record rules/ }]);
  const rule = parse({ $or: [{ stage: '$user' }, { stage: { $in: ['$tenant'] } }] }, { variables: true });
  t.same(bindVariables(rule, { user: 'u', tenant: 'tn' }), {
    kind: 'or',
    items: [
      { kind: 'compare', field: 'stage', op: 'eq', value: 'u' },
      { kind: 'compare', field: 'stage', op: 'in', value: ['tn'] },
    ],
  });
});
