/**
 * What a write did to a record's lines, line by line: the history shows "added Desk", "removed Chair",
 * "Desk: Quantity 1 → 2" rather than "Order lines: changed". Lines are matched by id; a field is changed
 * when its value differs (compared as JSON, as the server sends them).
 */
export interface LineChange {
  kind: 'added' | 'removed' | 'changed';
  line: Record<string, unknown>;
  /** For `changed`: each field that moved, from → to. */
  fields: { name: string; from: unknown; to: unknown }[];
}

type Line = Record<string, unknown> & { id?: string };

const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by']);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function lineChanges(before: unknown, after: unknown): LineChange[] {
  const old = Array.isArray(before) ? (before as Line[]) : [];
  const now = Array.isArray(after) ? (after as Line[]) : [];
  const oldById = new Map(old.map((line) => [line.id, line]));
  const nowIds = new Set(now.map((line) => line.id));
  const changes: LineChange[] = [];
  for (const line of now) {
    const previous = oldById.get(line.id);
    if (!previous) {
      changes.push({ kind: 'added', line, fields: [] });
      continue;
    }
    const fields = Object.keys(line)
      .filter((name) => !BOOKKEEPING.has(name) && !same(previous[name], line[name]))
      .map((name) => ({ name, from: previous[name], to: line[name] }));
    if (fields.length > 0) changes.push({ kind: 'changed', line, fields });
  }
  for (const line of old) if (!nowIds.has(line.id)) changes.push({ kind: 'removed', line, fields: [] });
  return changes;
}
