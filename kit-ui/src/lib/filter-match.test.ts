import t from 'tap';
import { matchesFilter } from './filter-match';

const deal = { id: 'd1', name: 'Office chairs', stage: { id: 's1', display: 'New' }, amount: '1200.50', priority: '2', archived: false, owner: null, tags: [{ id: 't1', display: 'VIP' }] };

t.test('the filter language, as the server reads it', async (t) => {
  t.ok(matchesFilter({ stage: 's1' }, deal), 'a many2one equals its id');
  t.ok(matchesFilter({ archived: false, priority: { $in: ['1', '2'] } }, deal), 'fields are and-ed; $in');
  t.ok(matchesFilter({ amount: { $gt: 1000, $lte: '1200.50' } }, deal), 'money compares as a number');
  t.notOk(matchesFilter({ amount: { $gt: '1200.5' } }, deal));
  t.ok(matchesFilter({ owner: null }, deal), 'null is $null: true');
  t.ok(matchesFilter({ owner: { $ne: 'u1' } }, deal), '$ne matches an empty value');
  t.notOk(matchesFilter({ owner: 'u1' }, deal));
  t.ok(matchesFilter({ name: { $ilike: '%CHAIR%' } }, deal), '$ilike ignores case');
  t.notOk(matchesFilter({ name: { $ilike: 'chair%' } }, deal), 'and is anchored');
  t.ok(matchesFilter({ name: { $ilike: 'office_chairs' } }, deal), '_ is one character');
  t.notOk(matchesFilter({ name: { $ilike: 'office\\_chairs' } }, deal), 'an escaped _ is itself');
  t.ok(matchesFilter({ tags: 't1' }, deal), 'a many2many equals any of its ids');
  t.ok(matchesFilter({ tags: { $nin: ['t2'] } }, deal));
  t.ok(matchesFilter({ $or: [{ stage: 'x' }, { $not: { archived: true } }] }, deal), '$or, $not');
  t.notOk(matchesFilter({ $and: [{ stage: 's1' }, { priority: '0' }] }, deal), '$and');
});
