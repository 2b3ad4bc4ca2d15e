import type { Filter } from './meta-types';

/**
 * Does a record, as the API shapes it (many2one as {id, display}, many2many as a list of them), match a
 * filter of the records API's language? The shell needs the server's semantics in three places: an
 * action's `when`, the conditions of the user's CASL rules, and whether a live event belongs in a filtered
 * view. Types are not known here, so values compare as numbers when both sides are numeric.
 */
export function matchesFilter(filter: Filter, record: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (key === '$and') return (value as Filter[]).every((f) => matchesFilter(f, record));
    if (key === '$or') return (value as Filter[]).some((f) => matchesFilter(f, record));
    if (key === '$not') return !matchesFilter(value as Filter, record);
    if (value === null) return matches(record[key], '$null', true);
    if (typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).every(([op, operand]) => matches(record[key], op, operand));
    return matches(record[key], '$eq', value);
  });
}

const idOf = (value: unknown): unknown => (value !== null && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value);
const NUMERIC = /^-?\d+(\.\d+)?$/;

function compare(a: unknown, b: unknown): number {
  if ((typeof a === 'number' || NUMERIC.test(String(a))) && (typeof b === 'number' || NUMERIC.test(String(b)))) return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** SQL ILIKE as a regular expression: % and _ are wildcards, a backslash escapes the next character. */
function ilike(pattern: string): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) body += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') body += '.*';
    else if (c === '_') body += '.';
    else body += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${body}$`, 'is');
}

function matches(raw: unknown, op: string, operand: unknown): boolean {
  if (Array.isArray(raw)) {
    const ids = raw.map(idOf);
    if (op === '$null') return operand ? ids.length === 0 : ids.length > 0;
    const hits = (Array.isArray(operand) ? operand : [operand]).some((v) => ids.includes(v));
    return op === '$ne' || op === '$nin' ? !hits : hits;
  }
  const actual = idOf(raw);
  const isNull = actual === null || actual === undefined;
  switch (op) {
    case '$null': return operand ? isNull : !isNull;
    case '$eq': return !isNull && compare(actual, operand) === 0;
    case '$ne': return isNull || compare(actual, operand) !== 0;
    case '$in': return !isNull && (operand as unknown[]).some((v) => compare(actual, v) === 0);
    case '$nin': return isNull || !(operand as unknown[]).some((v) => compare(actual, v) === 0);
    case '$gt': return !isNull && compare(actual, operand) > 0;
    case '$gte': return !isNull && compare(actual, operand) >= 0;
    case '$lt': return !isNull && compare(actual, operand) < 0;
    case '$lte': return !isNull && compare(actual, operand) <= 0;
    case '$ilike': {
      // A many2one's $ilike reads its display, as the server does.
      const text = raw !== null && typeof raw === 'object' && 'display' in raw ? (raw as { display: unknown }).display : actual;
      return text !== null && text !== undefined && ilike(String(operand)).test(String(text));
    }
    default: return false;
  }
}
