import { compare as compareDecimals } from './money.ts';
import type { ValueKind } from './meta-types.ts';

/** How two non-null values of a field compare, as PostgreSQL compares their columns. */
export type ValueOrder = (a: unknown, b: unknown) => number;

/** Text in the database's order (collation C): by code point, where UTF-16 units would put 😀 before \uFFFF. */
export function compareText(a: unknown, b: unknown): number {
  const x = [...String(a)];
  const y = [...String(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  return x.length - y.length;
}

/** Numbers by value; anything else (a record rule's operand as text) as text. */
export const compareNumbers = (a: unknown, b: unknown): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : compareText(a, b);

/** false before true, as PostgreSQL orders booleans. */
const compareBooleans = (a: unknown, b: unknown): number =>
  typeof a === 'boolean' && typeof b === 'boolean' ? Number(a) - Number(b) : compareText(a, b);

/** Instants by the time they name, whatever their offset or precision of writing. */
const compareInstants = (a: unknown, b: unknown): number => Date.parse(String(a)) - Date.parse(String(b));

/** Exact decimals (money arrives as "153.90"), by value: "10" after "9", "1.50" equal to "1.5". */
const compareAmounts = (a: unknown, b: unknown): number => compareDecimals(String(a), String(b));

/**
 * The order of a kind of value, the same in the core (record rules, live events) and in the shell
 * (optimistic views, live lists). A date (YYYY-MM-DD) orders as its text; a relation by its id.
 */
export function orderOf(kind: ValueKind): ValueOrder {
  switch (kind) {
    case 'integer':
    case 'number':
      return compareNumbers;
    case 'decimal':
      return compareAmounts;
    case 'datetime':
      return compareInstants;
    case 'boolean':
      return compareBooleans;
    default:
      return compareText;
  }
}
