/**
 * The whole test suite, as CI runs it: every test file with tap, once on embedded PGlite and once on
 * the local PostgreSQL (ATRIUM_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Browser tests run in the PGlite pass. Ends with one line: `N passed, N failed`.
 *
 *   npm test                      both databases
 *   npm test -- --db pglite       one database
 *   npm test -- core/test/x.test.ts   some files
 *   npm test -- --runtimes 22,24  also the production smoke test on those Node versions (what CI runs)
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installRuntime } from './runtimes.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const dbFlag = args.indexOf('--db');
const databases = dbFlag >= 0 ? [args[dbFlag + 1]] : ['pglite', 'postgresql'];
const explicit = args.filter((a) => a.endsWith('.test.ts'));
const runtimesFlag = args.indexOf('--runtimes');
const runtimes = runtimesFlag >= 0 ? args[runtimesFlag + 1].split(',') : [];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (entry.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const all = explicit.length > 0 ? explicit : ['core', 'modules', 'kit-ui/src', 'test'].flatMap((d) => { try { return testFiles(join(root, d)); } catch { return []; } }).sort();
const browser = (file: string): boolean => file.startsWith('test/browser/');

function run(db: string, files: string[], env: Record<string, string> = {}): Promise<{ pass: number; fail: number }> {
  return new Promise((resolve) => {
    console.log(`\n=== ${files.length} test files on ${db} ===\n`);
    const child = spawn('npx', ['tap', '--reporter=tap', ...files], { cwd: root, env: { ...process.env, ATRIUM_TEST_DB: db, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      const summary = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/.exec(tail);
      if (!summary) return resolve({ pass: 0, fail: Math.max(1, files.length) });
      const pass = Number(summary[2] ?? 0);
      const fail = Number(summary[3] ?? 0) + (code !== 0 && !summary[3] ? 1 : 0);
      resolve({ pass, fail });
    });
  });
}

let pass = 0;
let fail = 0;
for (const db of databases) {
  const files = all.filter((f) => db === 'pglite' || !browser(f));
  if (files.length === 0) continue;
  const result = await run(db, files);
  console.log(`\n${db}: ${result.pass} passed, ${result.fail} failed`);
  pass += result.pass;
  fail += result.fail;
}
// The production build served on each other runtime (start, sign up, create, live event): test/production-build.test.ts.
for (const major of runtimes) {
  let result = { pass: 0, fail: 1 };
  let label = `node ${major}`;
  try {
    const runtime = installRuntime(major);
    label = `node ${runtime.version}`;
    result = await run('postgresql', ['test/production-build.test.ts'], { ATRIUM_SMOKE_NODE: runtime.binary });
  } catch (error) {
    console.log(`\n${label}: the runtime could not be installed: ${(error as Error).message}`);
  }
  console.log(`\nsmoke test on ${label}: ${result.fail === 0 ? 'ok' : 'FAILED'} (${result.pass} passed, ${result.fail} failed)`);
  pass += result.pass;
  fail += result.fail;
}
console.log(`\n${pass} passed, ${fail} failed`);
process.exit(fail > 0 ? 1 : 0);
