import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../src/testing/index.ts';

export const FIXTURE_MODULES = fileURLToPath(new URL('./fixtures/modules', import.meta.url));

/** An app with the fixture modules (dir, sales), on the database the suite runs against. */
export function startFixtureApp(modules = ['dir', 'sales']): Promise<TestApp> {
  return startTestApp({ modules, modulesDir: FIXTURE_MODULES });
}
