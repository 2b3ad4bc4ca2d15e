import fc from 'fast-check';
import { type FieldDef, type ModelDef, SYSTEM_FIELDS } from '@atrium/core/testing';
import { anyJson, edgeValue, validValue, withRawNumbers } from './values.ts';
import { coreType } from '../../support/core-type.ts';

export type Ids = (model: string) => string[];
export type Lookup = (model: string) => ModelDef;

/** A body's JSON text (it may hold keys no object literal can: `__proto__`) and its top-level keys. */
export interface Body {
  text: string;
  keys: string[];
}

const writable = (model: ModelDef, without?: string): FieldDef[] =>
  Object.values(model.fields).filter((f) => !f.readonly && f.name !== without);

/** How a body's values are made: valid ones (validValue), or richer ones (richValue). */
type ValueMaker = (field: FieldDef, ids: Ids) => fc.Arbitrary<unknown>;

/**
 * A body of valid values (required fields present on create); a one2many gets valid lines, one level deep.
 * `wide` sets every writable field (and up to 5 lines) instead of a random few.
 */
export function validBody(
  model: ModelDef,
  mode: 'create' | 'patch',
  ids: Ids,
  lookup: Lookup,
  options: { value?: ValueMaker; wide?: boolean; without?: string } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const { value = validValue, wide = false, without } = options;
  const fields = writable(model, without).filter((f) => !(without && coreType(f) === 'one2many'));
  const arbitraries = Object.fromEntries(
    fields.map((f) => [
      f.name,
      coreType(f) === 'one2many' && !without
        ? fc.array(validBody(lookup(f.target!), 'create', ids, lookup, { value, wide, without: f.inverse }), { maxLength: wide ? 5 : 2 })
        : value(f, ids),
    ]),
  );
  const requiredKeys = wide
    ? fields.map((f) => f.name)
    : mode === 'create'
      ? fields.filter((f) => f.required && f.default === undefined).map((f) => f.name)
      : [];
  return fc.record(arbitraries, { requiredKeys });
}

/** Keys a body must never carry: system fields, the tenant, undeclared names. */
const foreignKey = fc.constantFrom(
  ...Object.keys(SYSTEM_FIELDS),
  'tenant_id',
  'tenantId',
  'no_such_field',
  ' name',
  'NAME',
  '$set',
  'toString',
  'hasOwnProperty',
);

/** Prototype-pollution keys, spliced into the JSON text (JSON.stringify would drop `__proto__`). */
const protoKey = fc.constantFrom(
  ['__proto__', '{"polluted": true}'],
  ['constructor', '{"prototype": {"polluted": true}}'],
  ['prototype', '{"polluted": true}'],
  ['__proto__', 'null'],
);

/** null most of the time, else a value. */
export const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, arbitrary);

/**
 * Bodies for a model: mostly valid, so writes get through and reach hooks and SQL, with a share of
 * corruptions — a field given an edge or wrong value, a foreign key, a prototype key in the text.
 */
export function bodyFor(model: ModelDef, mode: 'create' | 'patch', ids: Ids, lookup: Lookup): fc.Arbitrary<Body> {
  const fields = Object.values(model.fields);
  const lines = fields.filter((f) => coreType(f) === 'one2many');
  // Lines with one field given an edge value: what a line holds reaches the model's hooks (amounts) too.
  const edgeLine = (field: FieldDef) => {
    const target = lookup(field.target!);
    const lineFields = writable(target, field.inverse).filter((f) => coreType(f) !== 'one2many');
    return fc
      .tuple(
        validBody(target, 'create', ids, lookup, { without: field.inverse }),
        fc.constantFrom(...lineFields).chain((f) => edgeValue(f).map((v) => [f.name, v] as const)),
      )
      .map(([line, [name, value]]) => [field.name, [{ ...line, [name]: value }]] as const);
  };
  const corruption = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fields).chain((f) => edgeValue(f).map((v) => [f.name, v] as const)) },
    { weight: 1, arbitrary: fc.tuple(foreignKey, anyJson) },
    ...(lines.length ? [{ weight: 2, arbitrary: fc.constantFrom(...lines).chain(edgeLine) }] : []),
  );
  const corruptions = fc.oneof(fc.constant([]), fc.array(corruption, { minLength: 1, maxLength: 2 }));
  return fc.tuple(validBody(model, mode, ids, lookup), corruptions, rarely(protoKey)).map(([valid, corruptions, proto]) => {
    const value = { ...valid };
    for (const [key, v] of corruptions)
      Object.defineProperty(value, key, { value: v, enumerable: true, writable: true, configurable: true });
    const json = withRawNumbers(JSON.stringify(value));
    if (proto === null) return { text: json, keys: Object.keys(value) };
    const [key, protoValue] = proto;
    return { text: `{"${key}": ${protoValue}${json === '{}' ? '' : `,${json.slice(1, -1)}`}}`, keys: [key, ...Object.keys(value)] };
  });
}
