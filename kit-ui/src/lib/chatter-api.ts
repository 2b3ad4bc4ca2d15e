import type { Schemas } from '@atrium/client';
import { api, authorizedFetch, responseError } from './api';
import { answer, client } from './api-client';

/** The chatter's shapes (docs/api.md, "Chatter and activities"), as the OpenAPI document describes them. */
export type UserRef = Schemas['UserRef'];
export type Attachment = Schemas['Attachment'];
export type Activity = Schemas['Activity'];
/** One entry of a record's timeline. */
export type ChatterEntry = Schemas['ChatterEntry'];

export interface ChatterFrame {
  type: 'chatter';
  cursor: string;
  model: string;
  id: string;
  entry: ChatterEntry;
}

export const ACTIVITY_TYPES: { value: Activity['type']; label: string }[] = [
  { value: 'todo', label: 'To-do' },
  { value: 'call', label: 'Call' },
  { value: 'email', label: 'Email' },
  { value: 'meeting', label: 'Meeting' },
];

/** An activity's type as the user reads it ("To-do" for `todo`); a type the list does not know, as it is. */
export const activityTypeLabel = (type: string): string => ACTIVITY_TYPES.find((t) => t.value === type)?.label ?? type;

const record = (model: string, id: string, ...rest: string[]): string =>
  `/records/${[model, id, ...rest].map(encodeURIComponent).join('/')}`;

/** A body's mentions, `@[Name](user:ID)`, shown as the name. */
export const MENTION = /@\[([^\]\n]{1,200})\]\(user:([0-9a-fA-F-]{36})\)/g;

/**
 * The chatter and activities API: what the form's chatter panel, kanban cards and "My activities" read and write.
 * A record's chatter paths are per model in the typed client (`/api/records/crm.lead/{id}/messages`…): this code
 * serves any model, so it calls them through api() with the client's shapes.
 */
export const chatterApi = {
  timeline: async (model: string, id: string) => (await api<{ data: ChatterEntry[] }>('GET', record(model, id, 'messages'))).data,
  post: (model: string, id: string, body: { body: string; kind: 'message' | 'note'; attachments?: string[] }) =>
    api<ChatterEntry>('POST', record(model, id, 'messages'), { body }),
  followers: (model: string, id: string, method: 'GET' | 'POST' | 'DELETE' = 'GET') =>
    api<Schemas['Followers']>(method, record(model, id, 'followers')),
  upload: async (model: string, id: string, file: File): Promise<Attachment> => {
    const response = await authorizedFetch(`${record(model, id, 'attachments')}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: file,
      headers: { 'content-type': file.type || 'application/octet-stream' },
    });
    if (!response.ok) throw await responseError(response);
    return response.json();
  },
  attachmentPath: (model: string, id: string, attachment: string) => record(model, id, 'attachments', attachment),
  activities: async (model: string, id: string) => (await api<{ data: Activity[] }>('GET', record(model, id, 'activities'))).data,
  schedule: (model: string, id: string, body: { type: string; summary: string; due: string; assigned_to: string }) =>
    api<Activity>('POST', record(model, id, 'activities'), { body }),
  done: (activity: string) => answer(client.POST('/api/activities/{id}/done', { params: { path: { id: activity } } })),
  mine: async () => (await answer(client.GET('/api/activities'))).data,
  counts: async (model: string) =>
    (await api<{ data: Schemas['ActivityCount'][] }>('GET', `/records/${encodeURIComponent(model)}/activities`)).data,
};
