import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestDatabase } from '@atrium/core/testing';
import { TestSocket } from '../core/test/socket-client.ts';
import { freePort } from './support/server-process.ts';

/**
 * `npm run build`, then the build copied away from the repository with only its production dependencies
 * installed (`npm install --omit=dev`, from npm's cache), then `npm run serve` there: the smoke test of
 * a deployment. tsx, TypeScript, Vite and esbuild are not installed where the build runs, so anything
 * that still needed them fails here. ATRIUM_SMOKE_NODE runs the server on another Node binary (the
 * runtimes CI checks: scripts/test.ts --runtimes).
 */
const repo = new URL('..', import.meta.url).pathname;
const runtime = process.env.ATRIUM_SMOKE_NODE ?? process.execPath;
const nodeVersion = execFileSync(runtime, ['--version'], { encoding: 'utf8' }).trim();
const scratch = mkdtempSync(join(tmpdir(), 'atrium-build-'));
const app = join(scratch, 'app');
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

/** Where Node would find a package from `dir`: its node_modules, or its parents'. */
function installedFrom(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', name, 'package.json'))) return join(at, 'node_modules', name);
    if (dirname(at) === at) return undefined;
  }
}

function sourcesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourcesIn(path) : /\.(c|m)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

execFileSync('npm', ['run', 'build', '--', '--out', app], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
  cwd: app,
  stdio: ['ignore', 'ignore', 'inherit'],
});

t.test('the build holds no TypeScript, and the tools of development are not installed where it runs', async (t) => {
  t.same(sourcesIn(app), [], 'no .ts file: nothing could be loaded as TypeScript (Node ≥ 22.18 would strip its types silently)');
  for (const tool of ['tsx', 'typescript', 'vite', 'esbuild', '@sveltejs/kit', 'tap'])
    t.equal(installedFrom(app, tool), undefined, `${tool} cannot be found from the build`);
  t.ok(installedFrom(app, 'fastify'), 'the production dependencies are');
  t.ok(existsSync(join(app, 'kit-ui', 'build', 'index.html')), 'the shell is built');
});

t.test(`npm run serve on Node ${nodeVersion}: start, sign up, create, the live event over the websocket, stop`, async (t) => {
  const database = process.env.ATRIUM_TEST_DB === 'postgresql' ? await createTestDatabase() : undefined;
  t.teardown(() => database?.drop());
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(runtime)}:${process.env.PATH}`,
    PORT: String(port),
    ATRIUM_DEMO: '0',
    ATRIUM_SECRET: 'production-build-test-secret-0123456789',
    ...(database ? { DATABASE_URL: database.url } : { ATRIUM_DATA_DIR: join(scratch, 'data') }),
  };
  // Its own process group, so that the test stops npm and the server it started, and nothing else.
  const server = spawn('npm', ['run', 'serve'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  t.teardown(() => {
    if (server.exitCode === null) process.kill(-server.pid!, 'SIGKILL');
  });

  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; ;) {
    if (server.exitCode !== null) throw new Error(`npm run serve exited (${server.exitCode}):\n${output}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  t.match(output, `Atrium is running on Node ${nodeVersion}`, 'the server runs on the Node asked for');

  const shell = await fetch(url);
  t.equal(shell.status, 200);
  t.match(await shell.text(), /<!doctype html>/i, 'the built shell is served');

  const signup = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company: 'Built Co', name: 'Admin', email: 'admin@built.example', password: 'correct horse battery' }),
  });
  t.equal(signup.status, 201);
  const { token } = (await signup.json()) as { token: string };
  const socket = await TestSocket.connect(url, token);
  t.teardown(() => socket.close());

  // contacts' server.js (a module's compiled hooks) computes the display name.
  const created = await fetch(`${url}/api/records/contacts.partner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Ada Lovelace' }),
  });
  t.equal(created.status, 201);
  const partner = (await created.json()) as { id: string; display_name: string };
  t.equal(partner.display_name, 'Ada Lovelace');
  const event = await socket.next(20_000);
  t.match(event, { type: 'event', op: 'created', model: 'contacts.partner', id: partner.id, record: { name: 'Ada Lovelace' } });

  process.kill(-server.pid!, 'SIGTERM');
  await exited;
  t.notMatch(output, /"level":(50|60)/, 'no error logged from start to stop');
});
