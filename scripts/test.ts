/**
 * The whole test suite, as CI runs it: every test file with tap, once on embedded PGlite and once on
 * the local PostgreSQL (ATRIUM_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Browser tests and the checks of the tooling (test/tooling/: layers, engines, svelte-check, this runner)
 * run once, in the PGlite pass. The whole suite also serves the production build on Node 22 and
 * 24 (npm's `node` packages) and runs its smoke test there. Ends with one line: `N passed, N failed,
 * N skipped` (and `, N todo` when there are some), counted from tap's own summaries (a skip is never a pass).
 *
 * On a machine with only Node, the PostgreSQL pass (no server answering) and the browser tests (no
 * chromium) are skipped with one loud line each, every file not run counted as skipped; under CI=true
 * nothing may be skipped: every such file counts as failed.
 *
 * Template and per-file databases (and temporary files) carry this run's id and are removed when it
 * ends; leftovers of runs older than a day (a killed run, a file run on its own) are removed first.
 *
 *   npm test                      both databases, then the smoke test on Node 22 and 24 (what CI runs)
 *   npm test -- --db pglite       one database
 *   npm test -- core/test/x.test.ts   some files
 *   npm test -- --runtimes 24     the smoke test on these Node versions (`none`: not at all)
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanUpTestDatabases, newTestRun, postgresReachable, TEST_RUN_VARIABLE, testServerLabel } from '@atrium/core/testing';
import { chromiumPath } from '../test/support/chromium-path.ts';
import { installRuntime } from './runtimes.ts';
import { ensureShellBuilt } from './shell-build.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const dbFlag = args.indexOf('--db');
const databases = dbFlag >= 0 ? [args[dbFlag + 1]] : ['pglite', 'postgresql'];
const explicit = args.filter((a) => a.endsWith('.test.ts'));
const runtimesFlag = args.indexOf('--runtimes');
// The whole suite (no database or file named) includes the other runtimes; a part of it does not.
const runtimes =
  runtimesFlag >= 0
    ? args[runtimesFlag + 1].split(',').filter((v) => v !== 'none')
    : dbFlag < 0 && explicit.length === 0
      ? ['22', '24']
      : [];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'fixtures' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (entry.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const all =
  explicit.length > 0
    ? explicit
    : ['protocol', 'core', 'modules', 'kit-ui/src', 'test']
        .flatMap((d) => {
          try {
            return testFiles(join(root, d));
          } catch {
            return [];
          }
        })
        .sort();
const browser = (file: string): boolean => file.startsWith('test/browser/');
/** Run once, in the PGlite pass: the browser tests, the checks of the tooling and the protocol's, which use no test database. */
const once = (file: string): boolean => browser(file) || file.startsWith('test/tooling/') || file.startsWith('protocol/');
/** The browser tests and the files that drive chromium through their harness. */
const needsChromium = (file: string): boolean => browser(file) || readFileSync(join(root, file), 'utf8').includes('browser-harness');
const ci = !['', '0', 'false'].includes(process.env.CI ?? '');

const DAY = 24 * 3600_000;
const testRun = newTestRun();

interface Counts {
  pass: number;
  fail: number;
  skip: number;
  todo: number;
}
const line = (c: Counts): string => `${c.pass} passed, ${c.fail} failed, ${c.skip} skipped${c.todo > 0 ? `, ${c.todo} todo` : ''}`;

/** tap's final summary, `# { total: 9, pass: 5, fail: 1, todo: 1, skip: 2 }` (absent keys are zero). */
function parseSummary(tail: string): Counts | undefined {
  const summary = [...tail.matchAll(/^# \{ total: \d+(.*)\}$/gm)].at(-1);
  if (!summary) return undefined;
  const count = (key: string): number => Number(new RegExp(`\\b${key}: (\\d+)`).exec(summary[1])?.[1] ?? 0);
  return { pass: count('pass'), fail: count('fail'), skip: count('skip'), todo: count('todo') };
}

function run(db: string, files: string[], env: Record<string, string> = {}): Promise<Counts> {
  return new Promise((resolve) => {
    console.log(`\n=== ${files.length} test files on ${db} ===\n`);
    const child = spawn('npx', ['tap', '--reporter=tap', ...files], {
      cwd: root,
      env: { ...process.env, ATRIUM_TEST_DB: db, [TEST_RUN_VARIABLE]: testRun, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      const counts = parseSummary(tail);
      if (!counts) return resolve({ pass: 0, fail: Math.max(1, files.length), skip: 0, todo: 0 });
      // tap failed without counting a failure (a file that crashed before its first assertion).
      if (code !== 0 && counts.fail === 0) counts.fail = 1;
      resolve(counts);
    });
  });
}

const report = (cleanup: Awaited<ReturnType<typeof cleanUpTestDatabases>>, what: string): void => {
  const removed = cleanup.databases.length + cleanup.files.length;
  if (removed > 0) console.log(`${what}: removed ${cleanup.databases.length} test databases and ${cleanup.files.length} temporary files`);
  for (const problem of cleanup.problems) console.log(`${what}: left ${problem}`);
};

const postgres = await postgresReachable();
const haveChromium = chromiumPath() !== undefined;
report(await cleanUpTestDatabases({ olderThanMs: DAY, postgres }), 'leftovers of earlier runs');

const total: Counts = { pass: 0, fail: 0, skip: 0, todo: 0 };
const add = (result: Counts): void => {
  for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += result[key];
};
/** Files that cannot run here: skipped with a loud line, or failed under CI. */
const notRun = (what: string, files: number, how: string): Counts => {
  console.log(
    `\n!!! ${ci ? 'FAILED' : 'SKIPPED'}: ${what} (${files} test files): ${how}${ci ? ' (CI=true: nothing may be skipped)' : ''}\n`,
  );
  return ci ? { pass: 0, fail: files, skip: 0, todo: 0 } : { pass: 0, fail: 0, skip: files, todo: 0 };
};

// Built once before tap starts, not by whichever browser test comes first (inside that test's time limit).
if (haveChromium && all.some(needsChromium)) await ensureShellBuilt(() => console.log('building the shell for the browser tests'));

for (const db of databases) {
  let files = all.filter((f) => db === 'pglite' || !once(f));
  if (files.length === 0) continue;
  if (db === 'postgresql' && !postgres) {
    add(
      notRun(
        'the PostgreSQL pass',
        files.length,
        `no PostgreSQL answers at ${testServerLabel()}; start one there or point ATRIUM_TEST_DATABASE_URL at one`,
      ),
    );
    continue;
  }
  const browserFiles = haveChromium ? [] : files.filter(needsChromium);
  if (browserFiles.length > 0) {
    add(
      notRun(
        `the browser tests on ${db}`,
        browserFiles.length,
        'no chromium found; install it (Debian: apt install chromium) or set ATRIUM_CHROMIUM to its path',
      ),
    );
    files = files.filter((f) => !browserFiles.includes(f));
    if (files.length === 0) continue;
  }
  const result = await run(db, files);
  console.log(`\n${db}: ${line(result)}`);
  add(result);
}
// The production build served on each other runtime (start, sign up, create, live event): test/production-build.test.ts.
for (const major of runtimes) {
  let result: Counts = { pass: 0, fail: 1, skip: 0, todo: 0 };
  let label = `node ${major}`;
  try {
    const runtime = installRuntime(major);
    label = `node ${runtime.version}`;
    result = await run(postgres ? 'postgresql' : 'pglite', ['test/production-build.test.ts'], { ATRIUM_SMOKE_NODE: runtime.binary });
  } catch (error) {
    console.log(`\n${label}: the runtime could not be installed: ${(error as Error).message}`);
  }
  console.log(`\nsmoke test on ${label}: ${result.fail === 0 ? 'ok' : 'FAILED'} (${line(result)})`);
  add(result);
}
report(await cleanUpTestDatabases({ runId: testRun, olderThanMs: DAY, postgres }), 'this run');
console.log(`\n${line(total)}`);
process.exit(total.fail > 0 ? 1 : 0);
