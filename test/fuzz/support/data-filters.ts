import fc from 'fast-check';
import { type FieldDef, type ModelDef, SYSTEM_FIELDS } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { idOf } from '../../support/stored-value.ts';
import type { Ids } from './bodies.ts';
import { validValue } from './values.ts';
import { coreType } from '../../support/core-type.ts';

type Kind = FieldDef['type'] | (typeof SYSTEM_FIELDS)[string];

const TEXTUAL = new Set<Kind>(['string', 'text', 'email', 'phone', 'url', 'selection']);
// The language orders neither system timestamps nor these (filter-language.ts).
const UNORDERED = new Set<Kind>(['boolean', 'many2one', 'many2many', 'timestamp']);

/** The operators the filter language allows on a kind of field (docs/api.md). */
function operatorsFor(kind: Kind): string[] {
  if (kind === 'many2many') return ['$eq', '$ne', '$in', '$nin', '$null'];
  const ordered = UNORDERED.has(kind) ? [] : ['$gt', '$gte', '$lt', '$lte'];
  return ['$eq', '$ne', '$in', '$nin', '$null', ...ordered, ...(TEXTUAL.has(kind) ? ['$ilike'] : [])];
}

/** A LIKE pattern made from a value: a piece of it, some characters turned into _, case changed, % around. */
function patternFrom(value: string): fc.Arbitrary<string> {
  const chars = [...value];
  return fc
    .tuple(
      fc.nat({ max: chars.length }),
      fc.nat({ max: chars.length }),
      fc.boolean(),
      fc.boolean(),
      fc.nat({ max: 3 }),
      fc.boolean(),
      fc.nat({ max: 7 }),
    )
    .map(([a, b, before, after, blanks, swap, escapes]) => {
      // Some characters escaped with a backslash (a literal %, _ or \ then, or a letter that stays itself).
      const piece = chars
        .slice(Math.min(a, b), Math.max(a, b))
        .map((c, i) => (i < blanks ? '_' : escapes < 4 && (i + escapes) % 4 === 0 ? `\\${c}` : c))
        .join('');
      const cased = swap ? piece.replace(/\p{L}/gu, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())) : piece;
      const pattern = `${before ? '%' : ''}${cased}${after ? '%' : ''}`;
      // A lone backslash at the end would escape nothing (a 400): escape it instead.
      return /(^|[^\\])(\\\\)*\\$/.test(pattern) ? `${pattern}\\` : pattern;
    });
}

/**
 * Filters made from the data: operands are mostly values the records hold (so a filter matches some
 * records and not others), on every filterable field and system field, with every operator its type
 * takes, nested in $and, $or and $not. Each is a valid filter: the oracle compares what it selects.
 */
export function dataFilter(model: ModelDef, records: RecordData[], ids: Ids): fc.Arbitrary<Record<string, unknown>> {
  const fields = [
    ...Object.values(model.fields)
      .filter((f) => coreType(f) !== 'one2many' && coreType(f) !== 'json')
      .map((f) => ({ name: f.name, kind: coreType(f) as Kind, field: f as FieldDef | undefined })),
    ...Object.entries(SYSTEM_FIELDS).map(([name, kind]) => ({ name, kind: kind as Kind, field: undefined })),
  ];
  // A filter's text is at most 1000 characters (the language's limit): longer values are not operands.
  const seen = (name: string): unknown[] =>
    [...new Set(records.flatMap((r) => [r[name]].flat().map(idOf)))].filter(
      (v) => v !== null && v !== undefined && !(typeof v === 'string' && v.length > 1000),
    );
  const comparison = fc.constantFrom(...fields).chain(({ name, kind, field }) => {
    const values = seen(name);
    const fresh: fc.Arbitrary<unknown> = field
      ? validValue(field, ids)
          .filter((v) => v !== null && !(Array.isArray(v) && v.length === 0))
          .map((v) => [v].flat()[0])
      : kind === 'integer'
        ? fc.integer({ min: 0, max: 5 })
        : kind === 'timestamp'
          ? fc.date({ min: new Date('2020-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
          : fc.uuid();
    const operand = values.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, fresh) : fresh;
    const texts = values.filter((v): v is string => typeof v === 'string' && v.length > 0);
    return fc.constantFrom(...operatorsFor(kind)).chain((op): fc.Arbitrary<Record<string, unknown>> => {
      if (op === '$null') return fc.boolean().map((b) => ({ [name]: { $null: b } }));
      if (op === '$in' || op === '$nin') return fc.array(operand, { maxLength: 4 }).map((list) => ({ [name]: { [op]: list } }));
      if (op === '$ilike')
        return (texts.length > 0 ? fc.constantFrom(...texts).chain(patternFrom) : fc.constantFrom('%', '_', '%a%', 'A_')).map((p) => ({
          [name]: { $ilike: p },
        }));
      return fc.oneof(
        operand.map((v) => ({ [name]: { [op]: v } })),
        ...(op === '$eq' ? [operand.map((v) => ({ [name]: v }))] : []),
      );
    });
  });
  const { condition } = fc.letrec<{ condition: Record<string, unknown> }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: comparison },
      fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((items) => ({ $and: items })),
      fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((items) => ({ $or: items })),
      tie('condition').map((item) => ({ $not: item })),
    ),
  }));
  return condition;
}
