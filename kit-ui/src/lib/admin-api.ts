import type { PlanSummary, UsageReport } from '@atrium/protocol';
import { api } from './api';

export interface AdminModule {
  name: string;
  label: string;
  version: string;
  depends: string[];
  enabled: boolean;
}

export interface AdminUser {
  id: string;
  name: string;
  email: string;
  active: boolean;
  roles: string[];
}

export interface AdminRole {
  id: string;
  name: string;
  builtin: boolean;
  permissions: Record<string, unknown>;
}

export interface CompanySettings {
  name: string;
  /** Lines of text, printed under the name on the company's documents. */
  address: string | null;
  currency: string;
  locale: string;
}

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

const list = async <T>(path: string): Promise<T[]> => (await api<{ data: T[] }>('GET', path)).data;

/** Tenant administration (docs/api.md, `/api/admin/*`): admins only, the server says 403 to anyone else. */
export const adminApi = {
  settings: () => api<CompanySettings>('GET', '/admin/settings'),
  updateSettings: (changes: Partial<CompanySettings>) => api<CompanySettings>('PATCH', '/admin/settings', { body: changes }),
  modules: () => list<AdminModule>('/admin/modules'),
  setModule: (name: string, enabled: boolean) =>
    api<AdminModule>('PUT', `/admin/modules/${encodeURIComponent(name)}`, { body: { enabled } }),
  users: () => list<AdminUser>('/admin/users'),
  createUser: (user: { name: string; email: string; password: string; roles: string[] }) =>
    api<AdminUser>('POST', '/admin/users', { body: user }),
  updateUser: (id: string, changes: { name?: string; roles?: string[]; active?: boolean; password?: string }) =>
    api<AdminUser>('PATCH', `/admin/users/${id}`, { body: changes }),
  roles: () => list<AdminRole>('/admin/roles'),
  createRole: (role: { name: string; permissions: Record<string, unknown> }) => api<AdminRole>('POST', '/admin/roles', { body: role }),
  mails: () => list<AdminMail>('/admin/mails'),
  plan: () => api<PlanSummary>('GET', '/admin/plan'),
  usage: (days: number) => api<UsageReport>('GET', '/admin/usage', { query: { days } }),
  updateRole: (id: string, changes: { name?: string; permissions?: Record<string, unknown> }) =>
    api<AdminRole>('PATCH', `/admin/roles/${id}`, { body: changes }),
};
