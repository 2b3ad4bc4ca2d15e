import { api, authorizedFetch, responseError } from './api';

export interface UserRef {
  id: string;
  display: string;
}

export interface Attachment {
  id: string;
  name: string;
  mime_type: string;
  size: number;
}

export interface Activity {
  id: string;
  model: string;
  record_id: string;
  type: 'todo' | 'call' | 'email' | 'meeting';
  summary: string;
  due: string;
  assigned_to: UserRef;
  created_by: UserRef | null;
  done_at: string | null;
  state: 'planned' | 'today' | 'overdue' | 'done';
  /** In "My activities": the record it is on. */
  record?: { id: string; display: string | null };
}

/** One entry of a record's timeline (docs/api.md, "Chatter and activities"). */
export interface ChatterEntry {
  kind: 'message' | 'note' | 'activity' | 'change';
  id: string;
  at: string;
  author: UserRef | null;
  body?: string;
  mentions?: UserRef[];
  attachments?: Attachment[];
  activity?: Activity | null;
  activity_change?: 'scheduled' | 'done' | null;
  op?: string;
  changes?: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

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

const record = (model: string, id: string, ...rest: string[]): string =>
  `/records/${[model, id, ...rest].map(encodeURIComponent).join('/')}`;

/** A body's mentions, `@[Name](user:ID)`, shown as the name. */
export const MENTION = /@\[([^\]\n]{1,200})\]\(user:([0-9a-fA-F-]{36})\)/g;

/** The chatter and activities API: what the form's chatter panel, kanban cards and "My activities" read and write. */
export const chatterApi = {
  timeline: async (model: string, id: string) => (await api<{ data: ChatterEntry[] }>('GET', record(model, id, 'messages'))).data,
  post: (model: string, id: string, body: { body: string; kind: 'message' | 'note'; attachments?: string[] }) =>
    api<ChatterEntry>('POST', record(model, id, 'messages'), { body }),
  followers: (model: string, id: string, method: 'GET' | 'POST' | 'DELETE' = 'GET') =>
    api<{ data: UserRef[]; following: boolean }>(method, record(model, id, 'followers')),
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
  done: (activity: string) => api<Activity>('POST', `/activities/${encodeURIComponent(activity)}/done`),
  mine: async () => (await api<{ data: Activity[] }>('GET', '/activities')).data,
  counts: async (model: string) =>
    (await api<{ data: { id: string; open: number; overdue: number }[] }>('GET', `/records/${encodeURIComponent(model)}/activities`)).data,
};
