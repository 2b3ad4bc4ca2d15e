import t from 'tap';
import { emptyViewState, readViewState, viewStateQuery, type ViewState } from './view-state';

t.test('a view state survives its URL, and a plain view keeps a plain URL', async (t) => {
  const state: ViewState = {
    search: 'azure & co',
    filters: ['Open', 'Lost, archived'],
    custom: [
      { field: 'expected_revenue', op: 'gte', value: '2' },
      { field: 'deadline', op: 'set' },
    ],
    groupBy: ['customer', 'stage'],
    sort: '-expected_revenue',
    page: 2,
    folded: ['a1b2', null, false],
  };
  t.same(readViewState(new URLSearchParams(viewStateQuery(state).toString())), state);
  t.equal(viewStateQuery(emptyViewState()).toString(), '');
  t.same(readViewState(viewStateQuery({ ...emptyViewState(), filters: [] })).filters, [], 'no filter at all is not the defaults');
});

t.test('a malformed URL falls back to the defaults, part by part', async (t) => {
  const state = readViewState(new URLSearchParams('q=x&c=%7Bnot%20json&p=-3&fold=7'));
  t.same(state, { ...emptyViewState(), search: 'x' });
  t.same(readViewState(new URLSearchParams('c=[{"field":1}]')).custom, [], 'conditions must have their shape');
});
