import type { ModelMeta, RecordData } from './meta-types';

type Compare = (a: RecordData, b: RecordData) => number;

function sortableValue(model: ModelMeta, field: string, record: RecordData): unknown {
  const value = record[field];
  if (value === null || value === undefined) return null;
  const kind = model.fields[field]?.kind;
  if (kind === 'reference') return (value as { display: string | null }).display;
  if (kind === 'decimal' || kind === 'number' || kind === 'integer') return Number(value);
  return value;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

/**
 * A comparator with the server's ordering for a sort string ("sequence,-created_at"): nulls first when
 * ascending, last when descending, a many2one by its display name, the id breaking ties. A record that
 * arrives live is placed where a reload would put it.
 */
export function recordComparator(model: ModelMeta, sort: string): Compare {
  const keys = sort.split(',').map((part) => part.trim()).filter(Boolean).map((part) => ({ field: part.replace(/^[-+]/, ''), descending: part.startsWith('-') }));
  return (a, b) => {
    for (const { field, descending } of keys) {
      const x = sortableValue(model, field, a);
      const y = sortableValue(model, field, b);
      if (x === y) continue;
      if (x === null) return descending ? 1 : -1;
      if (y === null) return descending ? -1 : 1;
      const order = compareValues(x, y);
      if (order !== 0) return descending ? -order : order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Inserts a record at its sorted place (the list is already sorted), returning the new list. */
export function insertSorted(records: RecordData[], record: RecordData, compare: Compare): RecordData[] {
  const index = records.findIndex((r) => compare(record, r) < 0);
  return index < 0 ? [...records, record] : [...records.slice(0, index), record, ...records.slice(index)];
}
