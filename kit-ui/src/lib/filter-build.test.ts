import t from 'tap';
import { bindRecord } from './filter-build';

t.test("a relation's domain is bound to the record being edited", async (t) => {
  const domain = { customer: '$record.customer', $or: [{ stage: { $in: ['$record.stage', 'won'] } }], name: '$user' };
  t.same(
    bindRecord(domain, { customer: { id: 'c1', display: 'Acme' }, stage: 'new' }),
    { customer: 'c1', $or: [{ stage: { $in: ['new', 'won'] } }], name: '$user' },
    'a linked record by its id, a plain value as is, other variables untouched',
  );
  t.same(
    bindRecord(domain, { customer: null }),
    { customer: null, $or: [{ stage: { $in: [null, 'won'] } }], name: '$user' },
    'an empty or missing field as null',
  );
  t.same(domain.customer, '$record.customer', 'the declared domain is not changed');
});
