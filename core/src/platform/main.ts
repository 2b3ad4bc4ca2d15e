import { pathToFileURL } from 'node:url';
import { exitOnStartupError, loadPlatformConfig } from './platform-config.ts';
import { buildApp } from './server.ts';
import { tuneCollector } from './collector-flags.ts';
import type { PlatformConfig } from '../kernel/config.ts';
import { stopOnSignals } from './shutdown.ts';
import { createDemoTenant, type DemoTenant } from '../engine/tenancy/demo-tenant.ts';

function demoLines(demo: DemoTenant): string {
  const users = demo.users.map((u) => `  ${u.email.padEnd(24)} ${u.roles.join(', ')}`).join('\n');
  return `A demo company was created (turn it off with demo: false in platform.config.ts, or ATRIUM_DEMO=0).\nLog in as any of these, password "${demo.password}":\n${users}\n`;
}

/**
 * `npm start`: the whole product (API, websocket, shell) on one port; on an empty database, a demo company.
 * `adjust` changes the loaded config (the load bench lifts the plans' requests per minute out of its way).
 */
export async function startServer(adjust: (config: PlatformConfig) => PlatformConfig = (config) => config): Promise<void> {
  tuneCollector();
  const config = adjust(await loadPlatformConfig());
  const app = await buildApp(config);
  const demo = config.demo ? await createDemoTenant(app.platform) : null;
  stopOnSignals(app, config);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  console.log(
    `\nAtrium is running on Node ${process.version} and ${app.platform.db.kind === 'pglite' ? `embedded PostgreSQL (PGlite, ${config.database.dataDir})` : 'PostgreSQL'}.\nOpen ${url}\n`,
  );
  if (demo) console.log(demoLines(demo));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) startServer().catch(exitOnStartupError);
