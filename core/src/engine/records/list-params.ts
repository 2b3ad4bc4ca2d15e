import { AtriumError } from '../../kernel/errors.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { parseFilter, type Condition } from '../../kernel/filter/filter-language.ts';
import { parseSort, type SortKey } from './sort.ts';
import { inexactNumbers } from '../../kernel/json-numbers.ts';
import { isSystemField } from '../../kernel/system-fields.ts';

/** Query string of a list or groups request, as fastify hands it over (every value a string). */
export type ListQuery = Record<string, string | string[] | undefined>;

export interface ListParams {
  filter?: Condition;
  sort?: SortKey[];
  limit: number;
  offset: number;
  fields?: string[];
}

function single(query: ListQuery, key: string): string | undefined {
  const value = query[key];
  if (Array.isArray(value)) throw AtriumError.invalidField(key, 'type', 'is given more than once');
  return value;
}

function integer(query: ListQuery, key: string, fallback: number, min: number, max: number): number {
  const text = single(query, key);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw AtriumError.invalidField(key, 'range', `must be an integer from ${min} to ${max}`);
  return value;
}

/** The `filter` parameter: JSON in the filter language, over fields the user may read. */
export function filterParam(model: ModelDef, query: ListQuery, readable: (field: string) => boolean): Condition | undefined {
  const text = single(query, 'filter');
  if (text === undefined || text === '') return undefined;
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw AtriumError.invalidField('filter', 'json', 'is not valid JSON');
  }
  const inexact = inexactNumbers(text, 'filter.');
  if (inexact.length > 0) throw AtriumError.validation(inexact);
  return parseFilter(model, input, { source: 'filter', fieldAllowed: readable });
}

const KNOWN = new Set(['filter', 'sort', 'limit', 'offset', 'fields']);

export function parseListParams(model: ModelDef, query: ListQuery, readable: (field: string) => boolean, sortable = readable): ListParams {
  for (const key of Object.keys(query)) if (!KNOWN.has(key)) throw AtriumError.invalidField(key, 'parameter', `unknown parameter "${key}"`);
  const sortText = single(query, 'sort');
  const fieldsText = single(query, 'fields');
  let fields: string[] | undefined;
  if (fieldsText !== undefined) {
    fields = [
      ...new Set(
        fieldsText
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean),
      ),
    ];
    for (const f of fields) {
      if (isSystemField(f)) continue;
      if (!Object.hasOwn(model.fields, f) || !readable(f)) throw AtriumError.invalidField(`fields.${f}`, 'field', `unknown field "${f}"`);
    }
    fields = fields.filter((f) => !isSystemField(f));
  }
  return {
    filter: filterParam(model, query, readable),
    sort: sortText ? parseSort(model, sortText, sortable) : undefined,
    limit: integer(query, 'limit', 50, 1, 500),
    offset: integer(query, 'offset', 0, 0, 10_000_000),
    fields,
  };
}
