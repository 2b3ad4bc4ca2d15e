import fc from 'fast-check';
import { type ModelDef, SYSTEM_FIELDS } from '@atrium/core/testing';
import type { Ids } from './bodies.ts';
import { deepJson, edgeValue, nastyString, validValue } from './values.ts';

const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$ilike', '$null'];
const STRANGE_KEYS = ['no_such_field', '$bogus', '__proto__', 'constructor', 'prototype', 'tenant_id', '$where', 'name; --'];

/**
 * Queries come plausible (declared fields, values of their type) or hostile (also unknown names, edge
 * and nasty values, broken JSON): a query with any one bad part is refused, so both kinds are needed to
 * reach the SQL as well as the checks.
 */
export type Mood = 'plausible' | 'hostile';

/** Field names to use in a query: the model's, the system ones, and (when hostile) some that do not exist. */
const names = (model: ModelDef, mood: Mood): fc.Arbitrary<string> => {
  const declared = fc.constantFrom(...Object.keys(model.fields), ...Object.keys(SYSTEM_FIELDS));
  return mood === 'plausible' ? declared : fc.oneof({ weight: 4, arbitrary: declared }, fc.constantFrom(...STRANGE_KEYS), nastyString);
};

/** A filter in the language of docs/api.md, as the JSON text of the `filter` parameter. */
export function filterText(model: ModelDef, ids: Ids, mood: Mood): fc.Arbitrary<string> {
  const operand = (name: string): fc.Arbitrary<unknown> => {
    const field = model.fields[name];
    if (!field)
      return fc.oneof(
        fc.uuid(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.integer(),
        nastyString,
      );
    return mood === 'plausible' ? validValue(field, ids) : fc.oneof({ weight: 3, arbitrary: validValue(field, ids) }, edgeValue(field));
  };
  const comparison = names(model, mood).chain((name) =>
    fc.oneof(
      operand(name).map((v) => ({ [name]: v })),
      fc
        .dictionary(
          fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...OPERATORS) }, fc.constantFrom('$regex', 'eq', '$IN')),
          fc.oneof(operand(name), fc.array(operand(name), { maxLength: 3 })),
          { minKeys: 1, maxKeys: 2 },
        )
        .map((ops) => ({ [name]: ops })),
    ),
  );
  const { condition } = fc.letrec<{ condition: unknown }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: comparison },
      fc.record({ $and: fc.array(tie('condition'), { maxLength: 3 }) }),
      fc.record({ $or: fc.array(tie('condition'), { maxLength: 3 }) }),
      fc.record({ $not: tie('condition') }),
    ),
  }));
  const json = condition.map((c) => JSON.stringify(c));
  if (mood === 'plausible') return json;
  return fc.oneof(
    { weight: 8, arbitrary: json },
    fc.constantFrom(
      '{',
      'null',
      '[]',
      '"x"',
      '1',
      '{"$and": []}',
      '{"__proto__": {"name": "x"}}',
      '{"constructor": {"prototype": {}}}',
      '',
    ),
    fc.constantFrom(9, 10, 1000).map((depth) => JSON.stringify({ $and: [deepJson(depth)] })),
    fc.nat({ max: 20 }).map((n) => '{"$not":'.repeat(n * 500) + '{}' + '}'.repeat(n * 500)),
    nastyString,
  );
}

/** A `sort` list (names, some prefixed with - or +) or a `fields` list (plain names when plausible). */
export const nameList = (model: ModelDef, mood: Mood, signs: boolean): fc.Arbitrary<string> => {
  const sign = signs || mood === 'hostile' ? fc.constantFrom('', '', '-', '+', '--') : fc.constant('');
  return fc
    .array(
      fc.tuple(sign, names(model, mood)).map(([s, name]) => s + name),
      { maxLength: mood === 'plausible' ? 3 : 6 },
    )
    .map((parts) => parts.join(','));
};

/** A `limit` or `offset`. */
export const count = (mood: Mood): fc.Arbitrary<string> =>
  mood === 'plausible'
    ? fc.integer({ min: 1, max: 500 }).map(String)
    : fc.oneof(
        fc.nat({ max: 600 }).map(String),
        fc.constantFrom('-1', '1e3', '1.5', 'abc', '', ' 5', '0x10', '99999999999999999999', '10000000'),
      );
