import { startTestApp, type SignedIn, type TestApp } from '@atrium/core/testing';

// Test code reads arbitrary JSON shapes: `any` keeps assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * An app with crm and projects (and contacts), polling its background work every second. Its webhooks may
 * reach private addresses (the tests' receivers listen on loopback) unless `privateNetworks` is false.
 */
export const startAutomationsApp = ({ privateNetworks = true } = {}): Promise<TestApp> =>
  startTestApp({
    modules: ['contacts', 'crm', 'projects'],
    automations: {
      pollSeconds: 1,
      webhookRetrySeconds: 1,
      webhookMaxAttempts: 3,
      webhookTimeoutMs: 2000,
      webhookPrivateNetworks: privateNetworks,
    },
    mail: { pollSeconds: 1 },
  });

/** One API call as this user: its status and JSON body. */
export async function call(who: SignedIn, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Json }> {
  const response = await who.request({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

export const q = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

/** Polls until `check` returns a value (deliveries run after commit, in the background). */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, ms = 30_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < ms;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The shipped example (docs/api.md): when a lead reaches a won stage, a project named after it for its customer. */
export const WON_TO_PROJECT = {
  name: 'Won lead → project',
  model: 'crm.lead',
  trigger: { on: 'update', fields: ['stage'], when: { probability: 100 } },
  actions: [{ type: 'create', model: 'projects.project', values: { name: { $field: 'name' }, customer: { $field: 'customer' } } }],
};

/** The tenant's stages by name. */
export async function stages(who: SignedIn): Promise<Record<string, string>> {
  const { body } = await call(who, 'GET', '/api/records/crm.stage?limit=100');
  return Object.fromEntries(body.data.map((s: Json) => [s.name, s.id]));
}
