import type { Schemas } from '@atrium/client';
import { answer, client } from './api-client';
import type { ViewState } from './view-state';

/** A favourite: a view's state under a name, the user's own or shared with the company (the server keeps `state` as it is). */
export type SavedFilter = Omit<Schemas['SavedFilter'], 'state'> & { state: Partial<ViewState> };

const view = (name: string) => ({ params: { path: { view: name } } });

/** `/api/saved-filters` and `/api/view-settings` (docs/api.md). */
export const savedFiltersApi = {
  list: async (name: string) =>
    (await answer(client.GET('/api/saved-filters', { params: { query: { view: name } } }))).data as SavedFilter[],
  create: async (name: string, label: string, state: Partial<ViewState>, shared: boolean) =>
    (await answer(client.POST('/api/saved-filters', { body: { view: name, name: label, state: { ...state }, shared } }))) as SavedFilter,
  remove: (id: string) => answer(client.DELETE('/api/saved-filters/{id}', { params: { path: { id } } })),
};

export const viewSettingsApi = {
  get: (name: string) => answer(client.GET('/api/view-settings/{view}', view(name))),
  setColumns: (name: string, columns: string[]) => answer(client.PUT('/api/view-settings/{view}', { ...view(name), body: { columns } })),
};
