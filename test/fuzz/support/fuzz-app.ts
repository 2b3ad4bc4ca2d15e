import type { Test } from 'tap';
import platform from '../../../platform.config.ts';
import { startTestApp, type SignedIn, type TestApp } from '@atrium/core/testing';
import { watchProcess } from './oracle.ts';

export interface FuzzApp {
  app: TestApp;
  admin: SignedIn;
  /** Unhandled rejections and uncaught exceptions since the start. */
  failures: unknown[];
  /** Ids of existing records per model (seed data, and what a test adds): relations point at them. */
  known: Map<string, string[]>;
  ids(model: string): string[];
}

/** An app with the shipped modules (platform.config.ts), a tenant's admin, and the process watched. */
export async function startFuzzApp(t: Test, company: string): Promise<FuzzApp> {
  const app = await startTestApp({ modules: platform.modules });
  t.teardown(() => app.close());
  const admin = await app.signup(company);
  const watch = watchProcess();
  t.teardown(() => watch.stop());
  const known = new Map<string, string[]>();
  for (const model of app.app.platform.registry.models.values()) {
    const list = await admin.request({ method: 'GET', url: `/api/records/${model.id}?limit=500` });
    known.set(model.id, list.statusCode === 200 ? list.json().data.map((r: { id: string }) => r.id) : []);
  }
  return { app, admin, failures: watch.failures, known, ids: (model) => known.get(model) ?? [] };
}
