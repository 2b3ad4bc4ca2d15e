import fc from 'fast-check';
import type { FieldDef } from '@atrium/core/testing';
import { coreType } from '../../support/core-type.ts';

/**
 * JSON nested `depth` levels (arrays in objects in arrays…), built when serialized: fast-check prints a
 * failing case by recursion, which such a value would overflow.
 */
export class DeepJson {
  constructor(readonly depth: number) {}
  toJSON(): unknown {
    let value: unknown = 'bottom';
    for (let i = 0; i < this.depth; i++) value = i % 2 ? [value] : { d: value };
    return value;
  }
  [fc.toStringMethod](): string {
    return `DeepJson(${this.depth})`;
  }
}
export const deepJson = (depth: number): DeepJson => new DeepJson(depth);

/**
 * A number written as given, digit for digit: JSON.stringify would print the double (9007199254740993 as
 * 9007199254740992), so it leaves a marker that withRawNumbers replaces in the body's text.
 */
export class RawNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `@@raw:${this.text}@@`;
  }
  [fc.toStringMethod](): string {
    return `RawNumber(${this.text})`;
  }
}
export const withRawNumbers = (json: string): string => json.replace(/"@@raw:([^@"]+)@@"/g, '$1');

/** Numbers a double holds exactly but JavaScript prints with an exponent, and texts no double holds as written. */
const EXPONENTS = [1e21, 1e-7, 1e300, -1e-300, 5e-324];
const INEXACT = ['9007199254740993', '123456789012345678901234567890', '1e400', '-1e400', '1e-400', '0.10000000000000000001'].map(
  (text) => new RawNumber(text),
);

/** Strings that have broken servers: NUL bytes, lone surrogates, quotes and backslashes, SQL, operators, huge ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    'NUL at the end\u0000',
    '\uD800',
    'x\uDFFFy',
    "'; DROP TABLE core_users; --",
    '\\',
    "\\'",
    '%_%',
    '$gt',
    '$user',
    '__proto__',
    'constructor',
    'prototype',
    '\u202Eevil',
    '😀'.repeat(50),
    ' ',
    '',
    'null',
    '1e309',
    '-0',
    '0x10',
    'NaN',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.nat({ max: 3 }).map((k) => 'x'.repeat([1001, 2001, 100_001, 300_000][k])),
);

/** Any JSON value, also deep or with nasty strings and prototype keys (for json fields and wrong types). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  nastyString,
  fc.constantFrom(null, true, 0, -1, 2 ** 31, 1.5, -1e300, [], {}),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', '\u0000', '$gt'), nastyString, { maxKeys: 3 }),
  fc.integer({ min: 10, max: 2000 }).map(deepJson),
);

/** Values a field accepts, as a client would send them. `ids` are existing records of a relation's target. */
export function validValue(field: FieldDef, ids: (model: string) => string[]): fc.Arbitrary<unknown> {
  const known = field.target ? ids(field.target) : [];
  const someId = known.length ? fc.constantFrom(...known) : fc.constant(null);
  switch (coreType(field)) {
    case 'string':
    case 'text':
    case 'phone':
      return fc.string({ minLength: Math.max(1, field.minLength ?? 0), maxLength: Math.min(field.maxLength ?? 60, 60) });
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= (field.maxLength ?? 320));
    case 'url':
      return fc.webUrl();
    case 'integer':
      return fc.integer({ min: Math.max(field.min ?? -1000, -2147483648), max: Math.min(field.max ?? 1000, 2147483647) });
    case 'number':
      return fc.double({ min: field.min ?? -1e6, max: field.max ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'money':
      return fc.oneof(
        fc.integer({ min: -1e6, max: 1e6 }).map((c) => (c / 100).toFixed(2)),
        fc.integer({ min: 0, max: 1e5 }),
      );
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc
        .date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'datetime':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'selection':
      return fc.constantFrom(...field.options!.map((o) => o.value));
    case 'many2one':
      return someId;
    case 'many2many':
      return known.length ? fc.uniqueArray(fc.constantFrom(...known), { maxLength: 3 }) : fc.constant([]);
    case 'one2many':
      return fc.constant([]);
    case 'json':
      return fc.jsonValue({ maxDepth: 3 });
    default:
      throw new Error(`no values for a ${coreType(field)} field`);
  }
}

/** Values a field refuses or that sit on its edges: wrong types, out of range, unknown ids, nasty strings. */
export function edgeValue(field: FieldDef): fc.Arbitrary<unknown> {
  const specific: Partial<Record<FieldDef['type'], unknown[]>> = {
    integer: [2 ** 31, -(2 ** 31) - 1, 1.5, '1', ...EXPONENTS, ...INEXACT],
    number: [1e308, -1e308, '1.5', ...EXPONENTS, ...INEXACT],
    money: ['1e5', '1.1234567', '9'.repeat(16), '-', '0.', 1e20, 12.345678, 1e14, ...EXPONENTS, ...INEXACT],
    date: ['2020-02-30', '2020-13-01', '0000-01-01', '99999-01-01', '2020-1-1', '2020-01-01T00:00:00Z'],
    datetime: ['2020-02-30T10:00:00Z', '9999-12-31T23:59:60Z', '2020-01-01', 'Tue, 01 Jan 2020 00:00:00 GMT', '+275760-09-13T00:00:00Z'],
    email: ['a@b', 'not an email', 'a\u0000@example.com'],
    url: ['javascript:alert(1)', 'http://', 'no scheme', 'http://x/\u0000'],
    many2one: ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', 42],
    many2many: [['00000000-0000-0000-0000-000000000000'], ['x'], 'x', [null]],
    one2many: [[{}], [{ id: '00000000-0000-0000-0000-000000000000' }], ['x']],
  };
  return fc.oneof(fc.constantFrom<unknown>(...(specific[coreType(field)] ?? ['x']), null), nastyString, anyJson, fc.uuid());
}

/**
 * Characters that tell implementations apart: both cases (ILIKE folds them), LIKE's own % _ and \, letters
 * whose case mapping is special (ß, İ, ı, ǅ), one outside the basic plane (two UTF-16 units, one code
 * point: JavaScript and PostgreSQL count and order it differently), and quotes.
 */
const TELLING = [
  'a',
  'b',
  'A',
  'B',
  'z',
  'Z',
  '0',
  '9',
  ' ',
  '%',
  '_',
  '\\',
  "'",
  '"',
  'é',
  'É',
  'ß',
  'İ',
  'ı',
  'ǅ',
  '😀',
  '\uFFFF',
  '\u00A0',
];

/** Text up to its field's maxLength (1000 for a string without one, 100,000 for a text field). */
export const maxLengthOf = (field: FieldDef): number => field.maxLength ?? (coreType(field) === 'text' ? 100_000 : 1000);

/** Text made of telling characters, short or exactly as long as the field allows (counted in characters). */
export function richText(field: FieldDef): fc.Arbitrary<string> {
  const min = Math.max(1, field.minLength ?? 0);
  const max = maxLengthOf(field);
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .array(fc.constantFrom(...TELLING), { minLength: min, maxLength: Math.max(min, Math.min(max, 24)) })
        .map((chars) => chars.join('')),
    },
    fc.constantFrom('x', 'é', '😀').map((c) => c.repeat(max)),
  );
}

/**
 * Like validValue, with text of telling characters up to the field's length, amounts up to a trillion
 * with every precision the currency takes, and integers over their whole range.
 */
export function richValue(field: FieldDef, ids: (model: string) => string[]): fc.Arbitrary<unknown> {
  switch (coreType(field)) {
    case 'string':
    case 'text':
      return richText(field);
    case 'money':
      return fc.oneof(
        fc
          .bigInt({ min: -(10n ** 14n), max: 10n ** 14n })
          .map((c) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`),
        fc.integer({ min: -1e6, max: 1e6 }),
      );
    case 'integer':
      return fc.integer({ min: Math.max(field.min ?? -2147483648, -2147483648), max: Math.min(field.max ?? 2147483647, 2147483647) });
    default:
      return validValue(field, ids);
  }
}
