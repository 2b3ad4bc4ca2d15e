/**
 * `npm run dev`: the development loop, on one URL. The server runs in a child process that restarts when
 * the core, a module (manifest, hooks, data) or the config changes (`node --watch-path`); the shell is
 * served by Vite with hot module replacement, proxying `/api` and the websocket to that server. A `.env`
 * at the project root is read first (see .env.example). Each module's models.generated.ts is kept current
 * (as `npm run types`), at start and whenever a manifest changes.
 *
 *   PORT (3000)                 the URL to open: Vite
 *   ATRIUM_DEV_API_PORT (PORT+1)  the server behind it
 */
import { spawn } from 'node:child_process';
import { existsSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { staleDeclarations, findProjectRoot, loadPlatformConfig } from '@atrium/core/platform';

const repo = new URL('..', import.meta.url).pathname;
const root = findProjectRoot();
const config = await loadPlatformConfig(root);
const apiPort = Number(process.env.ATRIUM_DEV_API_PORT ?? config.port + 1);
const apiUrl = `http://${config.host}:${apiPort}`;
// A project with a shell of its own (kit-ui/ beside its platform.config.ts) develops that one.
const shell = existsSync(join(root, 'kit-ui', 'svelte.config.js')) ? join(root, 'kit-ui') : join(repo, 'kit-ui');

async function writeModelTypes(): Promise<void> {
  try {
    for (const { file, text } of await staleDeclarations(config.modulesDir)) writeFileSync(file, text);
  } catch (error) {
    console.error(`model types not written: ${(error as Error).message}`); // the server says the same, at its start
  }
}
await writeModelTypes();
if (existsSync(config.modulesDir))
  watch(config.modulesDir, { recursive: true }, (_, file) => file?.endsWith('manifest.json') && void writeModelTypes());

const watched = [join(repo, 'core', 'src'), join(root, 'modules'), join(root, 'platform.config.ts'), join(root, '.env')].filter(existsSync);
const server = spawn(
  process.execPath,
  [...watched.map((path) => `--watch-path=${path}`), '--import', import.meta.resolve('tsx'), join(repo, 'core/src/platform/main.ts')],
  { cwd: root, env: { ...process.env, PORT: String(apiPort) }, stdio: 'inherit' },
);

process.env.ATRIUM_API_URL = apiUrl; // read by kit-ui/vite.config.ts's proxy
process.chdir(shell); // SvelteKit finds svelte.config.js in the working folder
const vite = await createServer({
  root: shell,
  configFile: join(shell, 'vite.config.ts'),
  server: { host: config.host, port: config.port, strictPort: true },
});
await vite.listen();
console.log(
  `\nAtrium (development) on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}\n  the server restarts on a change to core/src, modules/ or platform.config.ts; the shell reloads itself\n`,
);

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  server.kill('SIGTERM');
  await vite.close();
  process.exit(code);
}
server.once('exit', (code) => {
  if (!stopping) void stop(code ?? 1);
});
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
