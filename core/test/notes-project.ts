import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { resolveConfig } from '../src/kernel/config.ts';
import { buildApp } from '../src/platform/server.ts';
import { createTestDatabase } from '../src/platform/testing/test-database.ts';

/**
 * A project of its own with one module, `notes`, whose manifest a test rewrites between starts (on the suite's
 * database, PGlite in the project's folder or a PostgreSQL database of its own): how migrations meet changed manifests.
 */
export async function notesProject(secret: string) {
  const root = mkdtempSync(join(tmpdir(), 'atrium-notes-'));
  mkdirSync(join(root, 'modules', 'notes'), { recursive: true });
  const database = await createTestDatabase();
  const settings = {
    modules: ['notes'],
    dataDir: 'data',
    demo: false,
    logLevel: 'silent',
    database: { dataDir: 'pglite' },
    auth: { passwordCost: 1024, secret },
  };
  writeFileSync(join(root, 'platform.config.ts'), `export default ${JSON.stringify(settings)};`);
  const env: Record<string, string> = database.url ? { DATABASE_URL: database.url } : {};
  return {
    root,
    database,
    env,
    /** The module's manifest: these models and views, `notes.note` readable by users. */
    writeManifest(models: object, views: object = {}): void {
      writeFileSync(
        join(root, 'modules', 'notes', 'manifest.json'),
        JSON.stringify({
          name: 'notes',
          label: 'Notes',
          version: '1.0.0',
          models,
          permissions: { user: { 'notes.note': { read: true } } },
          views,
        }),
      );
    },
    /** The app on it, started (and migrated) as `npm start` would. */
    async start(): Promise<FastifyInstance> {
      const app = await buildApp(resolveConfig(settings, root, env));
      await app.ready();
      return app;
    },
  };
}
