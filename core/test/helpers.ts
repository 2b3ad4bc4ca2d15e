import { fileURLToPath } from 'node:url';
import { startTestApp, type SignedIn, type TestApp } from '../src/platform/testing/index.ts';
import type { PlatformConfigInput } from '../src/kernel/config.ts';

export const FIXTURE_MODULES = fileURLToPath(new URL('./fixtures/modules', import.meta.url));

/** An app with the fixture modules (dir, sales), on the database the suite runs against. */
export function startFixtureApp(options: PlatformConfigInput = {}): Promise<TestApp> {
  return startTestApp({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, ...options });
}

export interface Answer {
  status: number;
  // Test code reads arbitrary JSON shapes: `any` keeps assertions short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One API call as this user. */
export async function call(
  who: SignedIn,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await who.request({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), headers });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

export const q = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

/** A stage, a company and a deal in the user's tenant. */
export async function seedDeal(
  who: SignedIn,
  deal: Record<string, unknown> = {},
): Promise<{ stage: string; company: string; deal: Answer['body'] }> {
  const stage = await call(who, 'POST', '/api/records/sales.stage', { name: 'New', sequence: 1 });
  const company = await call(who, 'POST', '/api/records/dir.company', { name: 'Big Co' });
  const created = await call(who, 'POST', '/api/records/sales.deal', {
    name: 'Deal',
    stage: stage.body.id,
    partner: company.body.id,
    amount: '100.00',
    ...deal,
  });
  if (created.status !== 201) throw new Error(`seedDeal: ${created.status} ${JSON.stringify(created.body)}`);
  return { stage: stage.body.id, company: company.body.id, deal: created.body };
}
