import t from 'tap';
import { lineChanges } from './line-changes';

const desk = { id: 'a', version: 1, product: 'Desk', quantity: 1 };
const chair = { id: 'b', version: 1, product: 'Chair', quantity: 4 };

t.test('lines added, removed and changed, each named with the fields that moved', async (t) => {
  const lamp = { id: 'c', version: 1, product: 'Lamp', quantity: 2 };
  const changes = lineChanges([desk, chair], [{ ...desk, version: 2, quantity: 3 }, lamp]);
  t.same(
    changes.map((c) => [c.kind, c.line.product]),
    [
      ['changed', 'Desk'],
      ['added', 'Lamp'],
      ['removed', 'Chair'],
    ],
  );
  t.same(changes[0].fields, [{ name: 'quantity', from: 1, to: 3 }], 'only the quantity, not the version');
});

t.test('lines left as they were are no change', async (t) => {
  t.same(lineChanges([desk, chair], [{ ...desk }, { ...chair }]), []);
  t.same(lineChanges(null, []), []);
});
