import type { ModelMeta, RecordData, ValueKind } from './meta-types.ts';
import { kindsOf } from './meta-types.ts';
import { compareText, orderOf } from './value-order.ts';

export type RecordCompare = (a: RecordData, b: RecordData) => number;

/** What a key sorts by: a many2one by its display (as engine/field-types/reference-sql.ts sorts), else the value. */
function sortValue(kind: ValueKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return kind === 'reference' ? ((value as { display: string | null }).display ?? null) : value;
}

/**
 * A comparator with the server's ORDER BY for a sort string ("sequence,-created_at"; engine/records/sort.ts):
 * values as the database orders them (orderOf), nulls first when ascending and last when descending, a
 * many2one by its display, the id breaking ties. A record that arrives live is placed where a reload would put it.
 */
export function recordComparator(model: Pick<ModelMeta, 'fields'>, sort: string): RecordCompare {
  const kindOf = kindsOf(model);
  const keys = sort
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const field = part.replace(/^[-+]/, '');
      const kind = kindOf(field);
      return { field, kind, order: kind === 'reference' ? compareText : orderOf(kind), descending: part.startsWith('-') };
    });
  return (a, b) => {
    for (const { field, kind, order, descending } of keys) {
      const x = sortValue(kind, a[field]);
      const y = sortValue(kind, b[field]);
      if (x === null && y === null) continue;
      if (x === null) return descending ? 1 : -1;
      if (y === null) return descending ? -1 : 1;
      const sign = order(x, y);
      if (sign !== 0) return descending ? -Math.sign(sign) : Math.sign(sign);
    }
    return compareText(a.id, b.id);
  };
}

/** Inserts a record at its sorted place (the list is already sorted), returning the new list. */
export function insertSorted(records: RecordData[], record: RecordData, compare: RecordCompare): RecordData[] {
  const index = records.findIndex((r) => compare(record, r) < 0);
  return index < 0 ? [...records, record] : [...records.slice(0, index), record, ...records.slice(index)];
}
