import { api } from './api';
import type { Filter, Group, HistoryEntry, RecordData } from '@atrium/protocol';

export interface ListOptions {
  filter?: Filter;
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface ListPage {
  data: RecordData[];
  total: number;
  total_capped?: true;
}

const path = (...parts: string[]): string => `/records/${parts.map(encodeURIComponent).join('/')}`;
const filterParam = (filter?: Filter): string | undefined =>
  filter && Object.keys(filter).length > 0 ? JSON.stringify(filter) : undefined;

/** The generic records API of docs/api.md: the only way views read and write data. */
export const recordsApi = {
  list: (model: string, options: ListOptions = {}) =>
    api<ListPage>('GET', path(model), {
      query: { filter: filterParam(options.filter), sort: options.sort, limit: options.limit, offset: options.offset },
    }),

  groups: async (model: string, by: string, options: { sum?: string; filter?: Filter } = {}) =>
    (await api<{ data: Group[] }>('GET', path(model, 'groups'), { query: { by, sum: options.sum, filter: filterParam(options.filter) } }))
      .data,

  get: (model: string, id: string) => api<RecordData>('GET', path(model, id)),

  create: (model: string, values: Record<string, unknown>) => api<RecordData>('POST', path(model), { body: values }),

  update: (model: string, id: string, values: Record<string, unknown>, version?: number) =>
    api<RecordData>('PATCH', path(model, id), { body: values, ifMatch: version }),

  remove: (model: string, id: string) => api<void>('DELETE', path(model, id)),

  action: (model: string, id: string, name: string, params: Record<string, unknown> = {}) =>
    api<RecordData>('POST', path(model, id, 'actions', name), { body: params }),

  history: async (model: string, id: string) => (await api<{ data: HistoryEntry[] }>('GET', path(model, id, 'history'))).data,
};
