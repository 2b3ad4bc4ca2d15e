// join() builds one statement from fragments in one pass: the same text and the same values, in order, as
// writing the fragments one after the other with the separator between them.
import t from 'tap';
import fc from 'fast-check';
import { join, raw, sql, toParams, toText, type Sql } from '../src/store/sql.ts';

const fragment: fc.Arbitrary<Sql> = fc
  .array(fc.tuple(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null))), { maxLength: 3 })
  .chain((pieces) =>
    fc.string({ maxLength: 6 }).map((tail) => pieces.reduce<Sql>((acc, [text, value]) => sql`${acc}${raw(text)}${value}`, raw(tail))),
  );

t.test('join equals the fragments written one after the other', async (t) => {
  fc.assert(
    fc.property(fc.array(fragment, { maxLength: 8 }), fc.constantFrom(', ', ' AND ', ' || ', ''), (parts, separator) => {
      const joined = join(parts, separator);
      t.equal(toText(joined), parts.map(toText).join(separator));
      t.same(
        toParams(joined).values,
        parts.flatMap((p) => [...p.values]),
      );
      t.equal(joined.strings.length, joined.values.length + 1);
    }),
    { numRuns: 300 },
  );
});

t.test('a joined fragment keeps its place inside a statement', async (t) => {
  const statement = sql`SELECT ${join([sql`${1}`, sql`${'a'}`, raw('x')], ', ')} FROM t WHERE id = ${2}`;
  t.equal(toText(statement), "SELECT 1, 'a', x FROM t WHERE id = 2");
  t.same(toParams(statement), { text: 'SELECT $1, $2, x FROM t WHERE id = $3', values: [1, 'a', 2] });
});
