import type { Filter } from './meta-types';

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

/** Any of the filters; empty ones are dropped, and nothing at all is `undefined` (no filter). */
export function anyOf(...filters: (Filter | undefined)[]): Filter | undefined {
  const present = filters.filter((f): f is Filter => f !== undefined && Object.keys(f).length > 0);
  if (present.length <= 1) return present[0];
  return { $or: present };
}
