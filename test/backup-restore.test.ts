import t from 'tap';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase } from '@atrium/core/testing';
import { makeProject, runScript, startServerProcess } from './support/server-process.ts';

/**
 * `npm run backup` while the app runs and takes writes, then `npm run restore` into a fresh data folder
 * (PGlite) or a fresh database (PostgreSQL): a server started on it finds every record written before the
 * backup, and each record it finds has its history. A restore over an existing database needs --force.
 */
const source = await createTestDatabase();
const target = await createTestDatabase();
t.teardown(() => Promise.all([source.drop(), target.drop()]));
const envOf = (url: string | undefined): Record<string, string> => (url ? { DATABASE_URL: url } : {});
const project = () => {
  const root = makeProject({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: 'data' });
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return root;
};
const file = join(tmpdir(), `atrium-test-backup-${process.pid}-${Date.now()}`);
t.teardown(() => rmSync(file, { force: true }));

const account = { email: 'backup@example.com', password: 'long enough password' };
const json = { 'content-type': 'application/json' };

t.test('backup while running, restore into a fresh database, every record is there', async (t) => {
  const root = project();
  const server = await startServerProcess(root, envOf(source.url));
  t.teardown(() => server.stop());
  const signup = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ company: 'Kept Co', name: 'K', ...account }),
  });
  const { token } = (await signup.json()) as { token: string };
  const create = (name: string) =>
    fetch(`${server.url}/api/records/dir.company`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ name }),
    }).then((r) => r.status);
  const before = Array.from({ length: 20 }, (_, i) => `before ${i}`);
  for (const name of before) t.equal(await create(name), 201);

  // Writes go on while the backup is taken.
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) await create(`during ${i}`);
  })();
  const backup = await runScript(root, 'core/src/platform/cli/backup.ts', [file], envOf(source.url));
  writing = false;
  await writer;
  t.equal(backup.code, 0, `backup: ${backup.output.trim()}`);
  await server.stop();

  const fresh = project();
  const env = envOf(target.url);
  const restored = await runScript(fresh, 'core/src/platform/cli/restore.ts', [file], env);
  t.equal(restored.code, 0, `restore: ${restored.output.trim()}`);
  const again = await runScript(fresh, 'core/src/platform/cli/restore.ts', [file], env);
  t.equal(again.code, 1, 'a second restore over it is refused');
  t.match(again.output, /--force/, 'saying how to replace it');
  const forced = await runScript(fresh, 'core/src/platform/cli/restore.ts', [file, '--force'], env);
  t.equal(forced.code, 0, `with --force it is replaced: ${forced.output.trim()}`);
  const notABackup = join(fresh, 'platform.config.ts');
  const wrong = await runScript(fresh, 'core/src/platform/cli/restore.ts', [notABackup, '--force'], env);
  t.equal(wrong.code, 1, 'a file that is no backup is refused');
  t.match(wrong.output, /is not a/);

  const copy = await startServerProcess(fresh, env);
  t.teardown(() => copy.stop());
  const login = await fetch(`${copy.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify(account) });
  t.equal(login.status, 200, 'the restored users log in');
  const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
  const list: { data: { id: string; name: string }[] } = { data: [] };
  for (let offset = 0; ; offset += 500) {
    const page = (await (
      await fetch(`${copy.url}/api/records/dir.company?limit=500&offset=${offset}`, { headers: auth })
    ).json()) as typeof list;
    list.data.push(...page.data);
    if (page.data.length < 500) break;
  }
  const names = new Set(list.data.map((c) => c.name));
  t.same(
    before.filter((name) => !names.has(name)),
    [],
    'every record written before the backup is there',
  );
  const withoutHistory: string[] = [];
  for (const company of list.data) {
    const history = (await (await fetch(`${copy.url}/api/records/dir.company/${company.id}/history`, { headers: auth })).json()) as {
      data: { op: string }[];
    };
    if (!history.data.some((e) => e.op === 'created')) withoutHistory.push(String(company.name));
  }
  t.same(withoutHistory, [], `each of the ${list.data.length} records has its history (the snapshot is consistent)`);
});
