import type { CustomCondition } from './custom-condition';

/**
 * What a user has done to a view, kept in its URL so that a reload or a shared link shows the same thing:
 * the search, the declared filters on, the custom conditions, the grouping, the sort, the page and the
 * kanban columns folded. A favourite keeps the first five.
 */
export interface ViewState {
  search: string;
  /** Labels of the declared filters that are on; null: the view's defaults. */
  filters: string[] | null;
  custom: CustomCondition[];
  groupBy: string[];
  sort: string;
  /** 0 is the first page. */
  page: number;
  /** Keys of the kanban columns folded; null: as each column declares. */
  folded: unknown[] | null;
}

export const emptyViewState = (): ViewState => ({ search: '', filters: null, custom: [], groupBy: [], sort: '', page: 0, folded: null });

const NO_FILTER = '-';

function json<T>(text: string | null, valid: (v: unknown) => v is T): T | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isConditions = (v: unknown): v is CustomCondition[] =>
  Array.isArray(v) &&
  v.every(
    (c) =>
      c &&
      typeof c === 'object' &&
      typeof c.field === 'string' &&
      typeof c.op === 'string' &&
      (c.value === undefined || typeof c.value === 'string'),
  );

/** The state a URL's query holds (what it does not say is the default); anything malformed is ignored. */
export function readViewState(params: URLSearchParams): ViewState {
  const state = emptyViewState();
  state.search = params.get('q') ?? '';
  const filters = params.getAll('f');
  if (filters.length > 0) state.filters = filters.filter((f) => f !== NO_FILTER);
  state.custom = json(params.get('c'), isConditions) ?? [];
  state.groupBy = (params.get('g') ?? '').split(',').filter(Boolean);
  state.sort = params.get('s') ?? '';
  const page = Number(params.get('p'));
  state.page = Number.isInteger(page) && page > 1 ? page - 1 : 0;
  state.folded = json(params.get('fold'), Array.isArray) ?? null;
  return state;
}

/** The URL's query for a state: only what differs from the default, so a plain view keeps a plain URL. */
export function viewStateQuery(state: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.search) params.set('q', state.search);
  if (state.filters) {
    if (state.filters.length === 0) params.append('f', NO_FILTER);
    for (const label of state.filters) params.append('f', label);
  }
  if (state.custom.length > 0) params.set('c', JSON.stringify(state.custom));
  if (state.groupBy.length > 0) params.set('g', state.groupBy.join(','));
  if (state.sort) params.set('s', state.sort);
  if (state.page > 0) params.set('p', String(state.page + 1));
  if (state.folded) params.set('fold', JSON.stringify(state.folded));
  return params;
}
