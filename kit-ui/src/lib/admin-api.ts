import type { RequestBody as Body, Schemas } from '@atrium/client';
import { api } from './api';
import { answer, client } from './api-client';

export type AdminModule = Schemas['AdminModule'];
export type AdminUser = Schemas['AdminUser'];
export type AdminRole = Schemas['AdminRole'];
export type CompanySettings = Schemas['CompanySettings'];

/** An outgoing mail (docs/api.md, `/api/admin/mails`): "caught" when no SMTP server is configured. */
export interface AdminMail {
  id: string;
  model: string | null;
  record_id: string | null;
  recipients: string[];
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'caught' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  attachment: { name: string; size: number } | null;
}

/** Tenant administration (docs/api.md, `/api/admin/*`): admins only, the server says 403 to anyone else. */
export const adminApi = {
  settings: () => answer(client.GET('/api/admin/settings')),
  updateSettings: (changes: Body<'/api/admin/settings', 'patch'>) => answer(client.PATCH('/api/admin/settings', { body: changes })),
  modules: async () => (await answer(client.GET('/api/admin/modules'))).data,
  setModule: (name: string, enabled: boolean) =>
    answer(client.PUT('/api/admin/modules/{name}', { params: { path: { name } }, body: { enabled } })),
  users: async () => (await answer(client.GET('/api/admin/users'))).data,
  createUser: (user: Body<'/api/admin/users', 'post'>) => answer(client.POST('/api/admin/users', { body: user })),
  updateUser: (id: string, changes: Body<'/api/admin/users/{id}', 'patch'>) =>
    answer(client.PATCH('/api/admin/users/{id}', { params: { path: { id } }, body: changes })),
  roles: async () => (await answer(client.GET('/api/admin/roles'))).data,
  createRole: (role: Body<'/api/admin/roles', 'post'>) => answer(client.POST('/api/admin/roles', { body: role })),
  updateRole: (id: string, changes: Body<'/api/admin/roles/{id}', 'patch'>) =>
    answer(client.PATCH('/api/admin/roles/{id}', { params: { path: { id } }, body: changes })),
  /** Not in the typed client yet (no documented answer): the hand-written shape above. */
  mails: async () => (await api<{ data: AdminMail[] }>('GET', '/admin/mails')).data,
};
