// `npm run lint`: eslint finds no defect and the tree is as prettier writes it (`npm run format` fixes that).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Two whole-tree passes: more than the default file time on a busy machine.
t.setTimeout(360_000);

const repo = new URL('../..', import.meta.url).pathname;
const bin = (name: string) => join(repo, 'node_modules/.bin', name);
const run = (name: string, args: string[], input?: string) => spawnSync(bin(name), args, { cwd: repo, encoding: 'utf8', input });

t.test('eslint finds no problem', async (t) => {
  const result = run('eslint', ['.']);
  t.equal(result.status, 0, result.stdout.slice(-3000) + result.stderr.slice(-2000));
});

t.test('every file is formatted as prettier writes it (npm run format)', async (t) => {
  const result = run('prettier', ['--check', '.', '--log-level', 'warn']);
  t.equal(result.status, 0, result.stdout.slice(-3000) + result.stderr.slice(-2000));
});

t.test('eslint fails on an unused import, and on a test reaching into core/src by path', async (t) => {
  const probe = "import { join } from 'node:path';\nimport { sql } from '../../core/src/store/sql.ts';\nexport const probe = sql;\n";
  const result = run('eslint', ['--stdin', '--stdin-filename', 'test/tooling/lint-probe.ts'], probe);
  t.equal(result.status, 1, 'the check fails');
  t.match(result.stdout, /'join' is defined but never used.*no-unused-vars/);
  t.match(result.stdout, /import @atrium\/core, @atrium\/core\/testing or @atrium\/core\/platform instead.*no-restricted-imports/);
});

t.test('eslint fails on server code reaching an address by a plain fetch or https request, not through postWebhook', async (t) => {
  const probe =
    "import { request } from 'node:https';\nimport { get } from 'node:http';\nexport const probe = (url: string) => [fetch(url), request(url), get(url)];\n";
  const result = run('eslint', ['--stdin', '--stdin-filename', 'core/src/engine/outbound-probe.ts'], probe);
  t.equal(result.status, 1, 'the check fails');
  const problems = result.stdout.split('\n').filter((line) => line.includes('through postWebhook'));
  t.equal(problems.length, 3, result.stdout);
  t.match(result.stdout, /'node:https' import is restricted/);
  t.match(result.stdout, /'get' import from 'node:http' is restricted/);
  t.match(result.stdout, /Unexpected use of 'fetch'/);

  const inModule = run(
    'eslint',
    ['--stdin', '--stdin-filename', 'modules/crm/outbound-probe.ts'],
    'export const probe = (url: string) => fetch(url);\n',
  );
  t.equal(inModule.status, 1, "a module's server code is held to it too");
  t.match(inModule.stdout, /Unexpected use of 'fetch'.*through postWebhook/);

  const types = run(
    'eslint',
    ['--stdin', '--stdin-filename', 'core/src/http/outbound-probe.ts'],
    "import type { IncomingMessage } from 'node:http';\nexport type Probe = IncomingMessage;\n",
  );
  t.equal(types.status, 0, "node:http's types stay allowed: " + types.stdout);
});
