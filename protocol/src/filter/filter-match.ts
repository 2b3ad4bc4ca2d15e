import type { ValueKind } from '../meta-types.ts';
import { orderOf } from '../value-order.ts';
import type { Condition } from './condition.ts';

/** The kind of a field of the record's model (system fields included); the caller's filter names only known ones. */
export type KindOf = (field: string) => ValueKind;

const idOf = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value;
/** What $ilike reads: a reference's display (as the SQL side does), any other value itself. */
const textOf = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && 'display' in value ? (value as { display: unknown }).display : value;

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Lower case one character at a time, as the database's lower() does (İ becomes i, not i and a combining dot). */
const lowerEach = (text: string): string => Array.from(text, (c) => [...c.toLowerCase()][0]).join('');

/**
 * ILIKE as the database runs it: both sides lower-cased, then % any run, _ one character (a code point,
 * not a UTF-16 unit), and a backslash making the next character literal.
 */
function ilike(pattern: string, text: string): boolean {
  const chars = [...lowerEach(pattern)];
  let body = '';
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '\\' && i + 1 < chars.length) body += escapeRegExp(chars[++i]);
    else body += chars[i] === '%' ? '.*' : chars[i] === '_' ? '.' : escapeRegExp(chars[i]);
  }
  return new RegExp(`^${body}$`, 'su').test(lowerEach(text));
}

/**
 * Does a record (as the API shapes it: many2one as {id, display}, many2many as a list of them) match a
 * condition? PostgreSQL's semantics, which the SQL compiler (engine/records/filter-to-sql.ts) gets from the
 * database itself: the core's record rules and live events and the shell's optimistic views all ask here,
 * so an event, a rule and a list agree on who sees what (core/test/filter-agreement.test.ts).
 */
export function matchesCondition(condition: Condition, record: Record<string, unknown>, kindOf: KindOf): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.items.every((c) => matchesCondition(c, record, kindOf));
    case 'or':
      return condition.items.some((c) => matchesCondition(c, record, kindOf));
    case 'not':
      return !matchesCondition(condition.item, record, kindOf);
    case 'compare': {
      const { field, op, value } = condition;
      const kind = kindOf(field);
      const raw = record[field];
      if (kind === 'links') {
        const ids = Array.isArray(raw) ? raw.map(idOf) : [];
        switch (op) {
          case 'eq':
            return ids.includes(value);
          case 'ne':
            return !ids.includes(value);
          case 'in':
            return ids.some((id) => (value as unknown[]).includes(id));
          case 'nin':
            return !ids.some((id) => (value as unknown[]).includes(id));
          default:
            return value ? ids.length === 0 : ids.length > 0;
        }
      }
      const order = orderOf(kind);
      const actual = idOf(raw);
      const isNull = actual === null || actual === undefined;
      switch (op) {
        case 'null':
          return value ? isNull : !isNull;
        case 'ne':
          return isNull || order(actual, value) !== 0;
        case 'nin':
          return isNull || !(value as unknown[]).some((v) => order(actual, v) === 0);
        case 'in':
          return !isNull && (value as unknown[]).some((v) => order(actual, v) === 0);
        case 'ilike': {
          const text = textOf(raw);
          return text !== null && text !== undefined && ilike(String(value), String(text));
        }
        case 'eq':
          return !isNull && order(actual, value) === 0;
        case 'gt':
          return !isNull && order(actual, value) > 0;
        case 'gte':
          return !isNull && order(actual, value) >= 0;
        case 'lt':
          return !isNull && order(actual, value) < 0;
        case 'lte':
          return !isNull && order(actual, value) <= 0;
      }
    }
  }
}
