import type { RequestBody as Body, Schemas } from '@atrium/client';
import { answer, client } from './api-client';

export type AdminModule = Schemas['AdminModule'];
export type AdminUser = Schemas['AdminUser'];
export type AdminRole = Schemas['AdminRole'];
export type CompanySettings = Schemas['CompanySettings'];

export type AdminMail = Schemas['AdminMail'];
/** A tenant's patch of a module's view (docs/api.md, "View patches"): rows into a form, columns into a list, fields onto a card. */
export type ViewPatch = Schemas['ViewPatch'];
export type AdminView = Schemas['AdminView'];
/** A field a tenant admin added to a model (docs/api.md, `/api/admin/custom-fields`). */
export type CustomField = Schemas['CustomField'];
export type NewCustomField = Body<'/api/admin/custom-fields', 'post'>;
export type AdminAutomation = Schemas['Automation'];
export type NewAutomation = Body<'/api/admin/automations', 'post'>;
/** One automation judged on one record: done, failed (with the error) or skipped. */
export type AutomationRun = Schemas['AutomationRun'];
/** A webhook's delivery: dead after its last attempt (a dead letter), which the admin may send again. */
export type WebhookDelivery = Schemas['WebhookDelivery'];

/** `GET /api/admin/billing` (docs/api.md, "Billing"). */
export type Billing = Schemas['Billing'];

const id = (value: string) => ({ params: { path: { id: value } } });

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
  mails: async () => (await answer(client.GET('/api/admin/mails'))).data,
  automations: async () => (await answer(client.GET('/api/admin/automations'))).data,
  saveAutomation: (automation: string | null, body: NewAutomation) =>
    automation
      ? answer(client.PATCH('/api/admin/automations/{id}', { ...id(automation), body }))
      : answer(client.POST('/api/admin/automations', { body })),
  deleteAutomation: (automation: string) => answer(client.DELETE('/api/admin/automations/{id}', id(automation))),
  automationRuns: async (automation: string) => (await answer(client.GET('/api/admin/automations/{id}/runs', id(automation)))).data,
  webhookDeliveries: async () => (await answer(client.GET('/api/admin/automations/deliveries'))).data,
  retryDelivery: (delivery: string) => answer(client.POST('/api/admin/automations/deliveries/{id}/retry', id(delivery))),
  views: async () => (await answer(client.GET('/api/admin/views'))).data,
  setViewPatches: (view: string, patches: ViewPatch[]) =>
    answer(client.PUT('/api/admin/views/{view}', { params: { path: { view } }, body: { patches } })),
  customFields: async () => (await answer(client.GET('/api/admin/custom-fields'))).data,
  createCustomField: (field: NewCustomField) => answer(client.POST('/api/admin/custom-fields', { body: field })),
  updateCustomField: (field: string, changes: Body<'/api/admin/custom-fields/{id}', 'patch'>) =>
    answer(client.PATCH('/api/admin/custom-fields/{id}', { ...id(field), body: changes })),
  removeCustomField: (field: string) => answer(client.DELETE('/api/admin/custom-fields/{id}', id(field))),
  plan: () => answer(client.GET('/api/admin/plan')),
  billing: () => answer(client.GET('/api/admin/billing')),
  /** Checkout and the customer portal are Stripe's pages: the API makes the link, the browser goes there. */
  checkout: (plan: string) => answer(client.POST('/api/admin/billing/checkout', { body: { plan } })),
  billingPortal: () => answer(client.POST('/api/admin/billing/portal')),
  usage: (days: number) => answer(client.GET('/api/admin/usage', { params: { query: { days } } })),
};
