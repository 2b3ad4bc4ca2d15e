import type { Filter } from '@atrium/protocol';

/** All of the filters at once; empty ones are dropped, and nothing at all is `undefined` (no filter). */
export function allOf(...filters: (Filter | undefined)[]): Filter | undefined {
  const present = filters.filter((f): f is Filter => f !== undefined && Object.keys(f).length > 0);
  if (present.length <= 1) return present[0];
  return { $and: present };
}

/** A case-insensitive "contains" over one text field; %, _ and \ in the text are matched literally. */
export function containsText(field: string, text: string): Filter | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  return { [field]: { $ilike: `%${trimmed.replace(/[\\%_]/g, '\\$&')}%` } };
}

/** View filters may name the current user as "$user", as record rules do; the API wants the id. */
export function bindUser(filter: Filter, userId: string): Filter {
  return JSON.parse(JSON.stringify(filter).replaceAll('"$user"', JSON.stringify(userId))) as Filter;
}

const RECORD_VARIABLE = '$record.';

/**
 * A relation's domain with "$record.<field>" replaced by that field's value on the record being edited (a
 * linked record by its id; an empty field by null, so only records with none match).
 */
export function bindRecord(domain: Filter, values: Record<string, unknown>): Filter {
  return JSON.parse(JSON.stringify(domain), (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(RECORD_VARIABLE)) return value;
    const bound = values[value.slice(RECORD_VARIABLE.length)];
    if (bound === undefined || bound === null || bound === '') return null;
    return typeof bound === 'object' && 'id' in bound ? (bound as { id: unknown }).id : bound;
  }) as Filter;
}

/** Any of the filters; empty ones are dropped, and nothing at all is `undefined` (no filter). */
export function anyOf(...filters: (Filter | undefined)[]): Filter | undefined {
  const present = filters.filter((f): f is Filter => f !== undefined && Object.keys(f).length > 0);
  if (present.length <= 1) return present[0];
  return { $or: present };
}
