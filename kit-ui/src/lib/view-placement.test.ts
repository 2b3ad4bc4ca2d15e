import t from 'tap';
import { fieldsPlacedBy, withField, withoutField } from './view-placement';

t.test('a field is placed at the end: its own form row, the last list column, the last card line', async (t) => {
  t.same(withField('form', [], 'x_region'), [{ rows: [['x_region']] }]);
  t.same(withField('form', [{ after: 'name', rows: [['a']] }], 'b'), [{ after: 'name', rows: [['a']] }, { rows: [['b']] }]);
  t.same(withField('list', [], 'x_region'), [{ columns: ['x_region'] }]);
  t.same(withField('list', [{ columns: ['a'] }], 'b'), [{ columns: ['a', 'b'] }]);
  t.same(withField('kanban', [{ card: ['a'] }], 'b'), [{ card: ['a', 'b'] }]);
});

t.test('taking a field off leaves the other placements as they were, and drops what is left empty', async (t) => {
  t.same(withoutField([{ after: 'name', rows: [['a', 'b']] }, { rows: [['c']] }], 'c'), [{ after: 'name', rows: [['a', 'b']] }]);
  t.same(withoutField([{ after: 'name', rows: [['a', 'b']] }], 'a'), [{ after: 'name', rows: [['b']] }]);
  t.same(withoutField([{ columns: ['a'] }], 'a'), []);
  t.same(withoutField([{ card: ['a', 'b'] }], 'a'), [{ card: ['b'] }]);
  t.same(fieldsPlacedBy([{ rows: [['a', 'b']] }, { columns: ['c'] }, { card: ['d'] }]), ['a', 'b', 'c', 'd']);
});
