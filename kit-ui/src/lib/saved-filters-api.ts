import { api } from './api';
import type { ViewState } from './view-state';

/** A favourite: a view's state under a name, the user's own or shared with the company. */
export interface SavedFilter {
  id: string;
  view: string;
  name: string;
  state: Partial<ViewState>;
  shared: boolean;
  mine: boolean;
  owner: { id: string; display: string };
}

/** `/api/saved-filters` and `/api/view-settings` (docs/api.md). */
export const savedFiltersApi = {
  list: async (view: string) => (await api<{ data: SavedFilter[] }>('GET', '/saved-filters', { query: { view } })).data,
  create: (view: string, name: string, state: Partial<ViewState>, shared: boolean) =>
    api<SavedFilter>('POST', '/saved-filters', { body: { view, name, state, shared } }),
  remove: (id: string) => api<void>('DELETE', `/saved-filters/${encodeURIComponent(id)}`),
};

export const viewSettingsApi = {
  get: (view: string) => api<{ columns?: string[] }>('GET', `/view-settings/${encodeURIComponent(view)}`),
  setColumns: (view: string, columns: string[]) =>
    api<{ columns: string[] }>('PUT', `/view-settings/${encodeURIComponent(view)}`, { body: { columns } }),
};
