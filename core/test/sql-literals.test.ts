// Every value the record path sends is inlined as a literal (store/sql.ts): whatever a client sends must
// reach PostgreSQL as exactly that value, never as SQL. Checked by round trips through the real database.
import t from 'tap';
import fc from 'fast-check';
import { AtriumError } from '../src/kernel/errors.ts';
import { createTestDatabase } from '../src/platform/testing/test-database.ts';
import { Database } from '../src/store/database.ts';
import { ident, literal, raw, sql } from '../src/store/sql.ts';

const testDatabase = await createTestDatabase();
const db = await Database.open({ url: testDatabase.url, dataDir: 'memory://', poolSize: 2 }, () => {});
t.teardown(async () => {
  await db.close();
  await testDatabase.drop();
});

/** What PostgreSQL reads from `value` inlined as a literal and cast (the simple-query protocol, as the write path). */
async function echo(value: unknown, cast: string): Promise<unknown> {
  const [result] = await db.transaction('system', (tx) => tx.commit(sql`SELECT (${value})${raw(`::${cast}`)} AS v`));
  return (result.rows[0] as { v: unknown }).v;
}

const NASTY = [
  "'",
  "''",
  '\\',
  "\\'",
  "E'x'",
  "'); DROP TABLE core_tenants; --",
  '$$',
  '$tag$',
  '/*',
  '--',
  '\n\r\t',
  '"',
  '{a,"b"}',
  'é😀',
  '\u2028',
  ' ',
];
const text = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 60 })).filter((s) => !s.includes('\0'));
const runs = { numRuns: 150 };

t.test('any text without NUL arrives as itself', async (t) => {
  // (Messages name the index: tap's output would take U+2028 in a message for a line break.)
  for (const [i, value] of NASTY.entries()) t.equal(await echo(value, 'text'), value, `NASTY[${i}]`);
  await fc.assert(
    fc.asyncProperty(text, async (value) => (await echo(value, 'text')) === value),
    runs,
  );
});

t.test('text with a NUL byte is refused as bad input (PostgreSQL text cannot hold it)', async (t) => {
  t.throws(() => literal('a\0b'), AtriumError);
});

t.test('arrays of text (quotes, backslashes, braces, commas, the word NULL, and nulls) arrive as themselves', async (t) => {
  const items = fc.array(fc.oneof(text, fc.constantFrom('NULL', 'null', ',', '{}'), fc.constant(null)), { maxLength: 8 });
  await fc.assert(
    fc.asyncProperty(items, async (value) => {
      t.same(await echo(value, 'text[]'), value);
      return true;
    }),
    runs,
  );
});

t.test('numbers, negative ones too, arrive as the same number', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      async (value) => (await echo(value, 'float8')) === value || (value === 0 && (await echo(value, 'float8')) === 0),
    ),
    runs,
  );
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
      async (value) => (await echo(value, 'numeric::text')) === String(value),
    ),
    runs,
  );
  t.equal(((await echo(-5, 'int')) as number) - 1, -6, 'a negative literal stays one value next to an operator');
  t.throws(() => literal(Number.NaN), AtriumError);
  t.throws(() => literal(Number.POSITIVE_INFINITY), AtriumError);
});

t.test('objects arrive as the same JSON', async (t) => {
  const json = fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 })), {
    maxKeys: 5,
  });
  await fc.assert(
    fc.asyncProperty(json, async (value) => {
      t.same(await echo(value, 'jsonb'), value);
      return true;
    }),
    runs,
  );
});

t.test('dates arrive as the same instant', async () => {
  const instant = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
  await fc.assert(
    fc.asyncProperty(instant, async (value) => ((await echo(value, 'timestamptz')) as Date).getTime() === value.getTime()),
    runs,
  );
});

t.test('identifiers: only lower-case names pass, anything that could close the quotes is refused', async (t) => {
  t.equal(literal(null), 'NULL');
  await fc.assert(
    fc.property(fc.string({ maxLength: 20 }), (name) => {
      const safe = /^[a-z_][a-z0-9_]*$/.test(name);
      try {
        ident(name);
        return safe;
      } catch {
        return !safe;
      }
    }),
    { numRuns: 500 },
  );
  t.throws(() => ident('a"; DROP TABLE x; --'));
});

t.test('bytes (a PDF attachment) arrive as bytea, byte for byte', async (t) => {
  const values = [Buffer.alloc(0), Buffer.from("%PDF-1.3\n'\\\0\xff", 'latin1'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))];
  for (const [i, value] of values.entries()) t.same(await echo(value, 'bytea'), value, `values[${i}]`);
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 200 }),
      async (bytes) => Buffer.compare((await echo(Buffer.from(bytes), 'bytea')) as Buffer, Buffer.from(bytes)) === 0,
    ),
    runs,
  );
});
