import type { RequestBody as Body, Schemas } from '@atrium/client';
import type { PlanSummary, UsageReport } from '@atrium/protocol';
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

/** A tenant's patch of a module's view (docs/api.md, "View patches"): rows into a form, columns into a list, fields onto a card. */
export interface ViewPatch {
  after?: string;
  rows?: string[][];
  columns?: string[];
  card?: string[];
}

export interface AdminView {
  view: string;
  model: string;
  type: 'kanban' | 'list' | 'form';
  label: string | null;
  patches: ViewPatch[];
}

/** A field a tenant admin added to a model (docs/api.md, `/api/admin/custom-fields`). */
export interface CustomField {
  id: string;
  model: string;
  name: string;
  type: string;
  label: string;
  required?: boolean;
  help?: string | null;
  options?: { value: string; label: string }[];
  model_ref?: string;
}

export type NewCustomField = Omit<CustomField, 'id'>;
/** An automation (docs/api.md, `/api/admin/automations`): a trigger, a condition and actions on a model. */
export interface AdminAutomation {
  id: string;
  name: string;
  model: string;
  trigger: {
    on: 'create' | 'update' | 'create_or_update' | 'delete' | 'time';
    fields?: string[];
    when?: unknown;
    field?: string;
    offset_days?: number;
  };
  actions: ({ type: string } & Record<string, unknown>)[];
  active: boolean;
}

/** One automation judged on one record: done, failed (with the error) or skipped. */
export interface AutomationRun {
  id: string;
  at: string;
  record_id: string | null;
  status: 'done' | 'failed' | 'skipped';
  error?: string;
  depth: number;
}

/** A webhook's delivery: dead after its last attempt (a dead letter), which the admin may send again. */
export interface WebhookDelivery {
  id: string;
  automation: string;
  url: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  last_error: string | null;
  created_at: string;
}

const list = async <T>(path: string): Promise<T[]> => (await api<{ data: T[] }>('GET', path)).data;

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
  /** Not in the typed client yet (their answers are not described in OpenAPI): the hand-written shapes above. */
  mails: () => list<AdminMail>('/admin/mails'),
  automations: () => list<AdminAutomation>('/admin/automations'),
  saveAutomation: (id: string | null, automation: Omit<AdminAutomation, 'id'>) =>
    id
      ? api<AdminAutomation>('PATCH', `/admin/automations/${id}`, { body: automation })
      : api<AdminAutomation>('POST', '/admin/automations', { body: automation }),
  deleteAutomation: (id: string) => api<void>('DELETE', `/admin/automations/${id}`),
  automationRuns: (id: string) => list<AutomationRun>(`/admin/automations/${id}/runs`),
  webhookDeliveries: () => list<WebhookDelivery>('/admin/automations/deliveries'),
  retryDelivery: (id: string) => api<WebhookDelivery>('POST', `/admin/automations/deliveries/${id}/retry`),
  views: () => list<AdminView>('/admin/views'),
  setViewPatches: (view: string, patches: ViewPatch[]) =>
    api<AdminView>('PUT', `/admin/views/${encodeURIComponent(view)}`, { body: { patches } }),
  customFields: () => list<CustomField>('/admin/custom-fields'),
  createCustomField: (field: NewCustomField) => api<CustomField>('POST', '/admin/custom-fields', { body: field }),
  updateCustomField: (id: string, changes: Partial<Pick<CustomField, 'label' | 'help' | 'required' | 'options'>>) =>
    api<CustomField>('PATCH', `/admin/custom-fields/${id}`, { body: changes }),
  removeCustomField: (id: string) => api<void>('DELETE', `/admin/custom-fields/${id}`),
  plan: () => api<PlanSummary>('GET', '/admin/plan'),
  usage: (days: number) => api<UsageReport>('GET', '/admin/usage', { query: { days } }),
};
