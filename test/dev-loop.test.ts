/// <reference lib="dom" />
/**
 * `npm run dev` in a project folder of its own (a module, platform.config.ts, a copy of the shell): one
 * URL serves the shell and the API; a changed hook restarts the server by itself, and a changed Svelte
 * file reaches an open page by hot replacement, without a reload.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser/browser-harness.ts';
import { freePort } from './support/server-process.ts';

const repo = new URL('..', import.meta.url).pathname;

if (process.env.ATRIUM_TEST_DB === 'postgresql') {
  t.plan(0, 'the development loop runs on the embedded database: it is tested in the PGlite pass');
} else {
  t.setTimeout(300_000); // the first start builds PGlite and Vite's dependency cache
  // Everything runs inside one test: the root test would otherwise end (and tear down) at its first await.
  t.test('npm run dev', async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'atrium-dev-'));
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    cpSync(new URL('fixtures/dev-project/modules', import.meta.url).pathname, join(root, 'modules'), { recursive: true });
    const skip = new Set(['build', '.svelte-kit', 'node_modules', '.build-lock']);
    cpSync(join(repo, 'kit-ui'), join(root, 'kit-ui'), { recursive: true, filter: (source) => !skip.has(source.split('/').at(-1)!) });
    writeFileSync(
      join(root, 'platform.config.ts'),
      `export default ${JSON.stringify({ modules: ['notes'], demo: false, auth: { passwordCost: 1024 } })};\n`,
    );
    const port = await freePort();
    const apiPort = await freePort();
    // A .env is read: the port of the server behind Vite comes from it.
    writeFileSync(join(root, '.env'), `ATRIUM_DEV_API_PORT=${apiPort}\n`);
    const url = `http://127.0.0.1:${port}`;

    // As a developer runs it: without the test runner's own loaders, which would follow the server's restarts.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NODE_OPTIONS$|TAP|_TAPJS)/.test(name)));
    const dev = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(repo, 'scripts/dev.ts')], {
      cwd: root,
      env: { ...env, PORT: String(port), ATRIUM_SECRET: 'dev-loop-test-secret-dev-loop-test-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    dev.stdout!.on('data', (chunk) => (output += chunk));
    dev.stderr!.on('data', (chunk) => (output += chunk));
    t.teardown(async () => {
      const exited = new Promise((resolve) => dev.once('exit', resolve));
      if (dev.exitCode === null) process.kill(-dev.pid!, 'SIGTERM');
      await exited;
      rmSync(root, { recursive: true, force: true });
    });

    /** Polls until `probe` gives a value, or fails the test with the dev output after `seconds`. */
    async function eventually<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        try {
          const value = await probe();
          if (value !== undefined) return value;
        } catch {
          // not there yet
        }
        if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`${what}: not within ${seconds} s\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }

    const health = await eventually('the API through the dev URL', 180, async () =>
      (await fetch(`${url}/api/health`)).ok ? true : undefined,
    );
    t.ok(health, 'the API answers on the dev URL (Vite proxies it)');
    t.match(
      readFileSync(join(root, 'modules/notes/models.generated.ts'), 'utf8'),
      /"notes\.note": \{/,
      "the module's model types were written (npm run types)",
    );

    const signup = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: 'Dev Co', name: 'Dev', email: 'dev@example.com', password: 'correct horse battery' }),
    });
    t.equal(signup.status, 201);
    const { token } = (await signup.json()) as { token: string };
    const createNote = async (title: string): Promise<Record<string, unknown> | undefined> => {
      const response = await fetch(`${url}/api/records/notes.note`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ title }),
      });
      return response.status === 201 ? ((await response.json()) as Record<string, unknown>) : undefined;
    };

    t.test('a changed hook is live after the server restarts by itself', async (t) => {
      t.equal((await createNote('a'))?.summary, 'first: a', 'the hook as it starts');
      const hooks = join(root, 'modules/notes/server.ts');
      writeFileSync(hooks, readFileSync(hooks, 'utf8').replace('`first: ', '`second: '));
      const changed = await eventually('the changed hook', 90, async () => {
        const note = await createNote('b');
        return note?.summary === 'second: b' ? note : undefined;
      });
      t.equal(changed.summary, 'second: b', 'the next write runs the changed hook, with no manual restart');
      t.equal(dev.exitCode, null, 'npm run dev is still running');
    });

    t.test('a changed Svelte file reaches an open page without a reload', async (t) => {
      const browser = await launchChromium();
      t.teardown(() => browser.close());
      const page = await browser.newPage();
      await page.goto(`${url}/login`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 120_000 });
      await page.evaluate(() => ((window as unknown as { devLoopMarker: number }).devLoopMarker = 42));
      const login = join(root, 'kit-ui/src/routes/login/+page.svelte');
      writeFileSync(login, readFileSync(login, 'utf8').replace('Welcome back.', 'Welcome back, developer.'));
      await page.getByText('Welcome back, developer.').waitFor({ timeout: 60_000 });
      t.pass('the new text is on the page');
      t.equal(
        await page.evaluate(() => (window as unknown as { devLoopMarker?: number }).devLoopMarker),
        42,
        'the page was updated in place (hot replacement), not reloaded',
      );
    });
  });
}
