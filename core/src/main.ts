import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig, type PlatformConfig, type PlatformConfigInput } from './config.ts';
import { StartupError } from './errors.ts';
import { buildApp } from './server.ts';
import { createDemoTenant, type DemoTenant } from './tenancy/demo-tenant.ts';

/** platform.config.ts of the project this is run from (the folder holding it, or above). */
export async function loadPlatformConfig(from = process.cwd()): Promise<PlatformConfig> {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'platform.config.ts')) && dirname(dir) !== dir) dir = dirname(dir);
  const file = join(dir, 'platform.config.ts');
  const input = existsSync(file) ? ((await import(pathToFileURL(file).href)) as { default: PlatformConfigInput }).default : {};
  const config = resolveConfig(input, dir);
  return { ...config, uiDir: config.uiDir ?? join(dir, 'kit-ui', 'build') };
}

function demoLines(demo: DemoTenant): string {
  const users = demo.users.map((u) => `  ${u.email.padEnd(24)} ${u.roles.join(', ')}`).join('\n');
  return `A demo company was created (turn it off with demo: false in platform.config.ts, or ATRIUM_DEMO=0).\nLog in as any of these, password "${demo.password}":\n${users}\n`;
}

/** `npm start`: the whole product (API, websocket, shell) on one port; on an empty database, a demo company. */
export async function startServer(): Promise<void> {
  const config = await loadPlatformConfig();
  const app = await buildApp(config);
  const demo = config.demo ? await createDemoTenant(app.platform) : null;
  const shutdown = async (): Promise<void> => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  console.log(`\nAtrium is running on ${app.platform.db.kind === 'pglite' ? `embedded PostgreSQL (PGlite, ${config.database.dataDir})` : 'PostgreSQL'}.\nOpen ${url}\n`);
  if (demo) console.log(demoLines(demo));
}

/** Start-up problems (a bad manifest, an unusable database) are printed plainly, without a stack. */
export function exitOnStartupError(error: unknown): never {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) startServer().catch(exitOnStartupError);
