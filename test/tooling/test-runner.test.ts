// `npm test` on a machine with only Node: the PostgreSQL pass and the browser tests are skipped loudly
// (and counted), and under CI=true the same run fails. Runs scripts/test.ts on two small fixture files.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chromiumPath } from '../support/chromium-path.ts';

const root = new URL('../..', import.meta.url).pathname;
const FILES = ['test/fixtures/runner/database.test.ts', 'test/fixtures/runner/browser.test.ts'];
const CLOSED_PORT = 'postgres://postgres@127.0.0.1:1/postgres';

function runSuite(args: string[], env: Record<string, string>): { status: number | null; output: string; last: string } {
  // As from a shell: without this file's own tap settings (they would make the inner tap a child of this one).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TAP|_TAPJS)|^NODE_OPTIONS$|^CI$|^ATRIUM_CHROMIUM$/.test(key)),
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test.ts', '--runtimes', 'none', ...args, ...FILES], {
    cwd: root,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status, output, last: result.stdout.trim().split('\n').at(-1) ?? '' };
}

t.setTimeout(3 * 240_000); // three runs of the suite's runner, each allowed its own four minutes

const nodeOnly = { ATRIUM_TEST_DATABASE_URL: CLOSED_PORT, ATRIUM_CHROMIUM: '/nonexistent/chromium' };

t.test('without PostgreSQL or chromium: what can run passes, the rest is skipped loudly and counted', async (t) => {
  const run = runSuite([], nodeOnly);
  t.match(run.output, /!!! SKIPPED: the PostgreSQL pass \(2 test files\): no PostgreSQL answers at postgres:\/\/127\.0\.0\.1:1\/postgres/);
  t.match(run.output, /!!! SKIPPED: the browser tests on pglite \(1 test files\): no chromium found/);
  t.match(run.last, /^[1-9]\d* passed, 0 failed, 3 skipped$/, run.output.slice(-2000));
  t.equal(run.status, 0);
});

t.test('under CI=true, the same machine fails the run', async (t) => {
  const run = runSuite([], { ...nodeOnly, CI: 'true' });
  t.match(run.output, /!!! FAILED: the PostgreSQL pass \(2 test files\).*CI=true: nothing may be skipped/);
  t.match(run.last, /^[1-9]\d* passed, 3 failed, 0 skipped$/, run.output.slice(-2000));
  t.equal(run.status, 1);
});

t.test(
  'with chromium, the browser file runs (and is not skipped)',
  { skip: chromiumPath() === undefined && 'no chromium on this machine' },
  async (t) => {
    const run = runSuite(['--db', 'pglite'], { CI: 'true' });
    t.match(run.last, /^[1-9]\d* passed, 0 failed, 0 skipped$/, run.output.slice(-2000));
    t.equal(run.status, 0);
  },
);
