import t from 'tap';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@atrium/core/testing';
import { makeProject, startServerProcess } from './support/server-process.ts';

/**
 * What a list request reads must die young in the real server process, as `npm start` runs it on a
 * fresh database (it migrates at start). V8's allocation-site pretenuring, left on, learned at that
 * start-up to allocate pg's `rows` arrays in the old generation: every row of every later result then
 * survived the young collections until a full one (docs/decisions.md §45). Measured from the server's
 * own `--trace-gc-nvp` lines: the bytes its scavenges promote while it answers lists, against the bytes
 * of those lists.
 */
const database = await createTestDatabase();
t.teardown(() => database.drop());
// The shipped CRM, on a plan without a requests-per-minute limit (the load is 1,300 lists).
const root = makeProject({
  modules: ['contacts', 'crm'],
  modulesDir: fileURLToPath(new URL('../modules', import.meta.url)),
  dataDir: 'data',
  plans: { default: 'open', list: { open: { label: 'Open', limits: {} } } },
});
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const server = await startServerProcess(root, database.url ? { DATABASE_URL: database.url } : {}, {
  nodeFlags: ['--trace-gc', '--trace-gc-nvp'],
});
t.teardown(() => server.stop());

const signup = await fetch(`${server.url}/api/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ company: 'Young', name: 'Y', email: `young-${Date.now()}@example.com`, password: 'long enough password' }),
});
const { token } = (await signup.json()) as { token: string };
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
for (let i = 0; i < 50; i++) {
  const created = await fetch(`${server.url}/api/records/crm.lead`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: `Lead ${i} ${'x'.repeat(180)}`, expected_revenue: '1250.00' }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
}

/** The scavenges' `promoted=` bytes in the server's trace after `from` (an offset in its output). */
const promotedSince = (from: number): { promoted: number; scavenges: number } => {
  const scavenges = server
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => / gc=s /.test(line));
  return {
    promoted: scavenges.reduce((sum, line) => sum + Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0), 0),
    scavenges: scavenges.length,
  };
};

t.test('the scavenges of a list load promote almost nothing of what the lists read', async (t) => {
  const list = async (): Promise<number> => {
    const answer = await fetch(`${server.url}/api/records/crm.lead?limit=50`, { headers });
    const body = await answer.text();
    if (answer.status !== 200) throw new Error(`list: ${answer.status} ${body}`);
    return body.length;
  };
  for (let i = 0; i < 100; i++) await list(); // warm-up
  const from = server.output().length;
  let bytes = 0;
  for (let round = 0; round < 300; round++) bytes += (await Promise.all([list(), list(), list(), list()])).reduce((a, b) => a + b, 0);
  const { promoted, scavenges } = promotedSince(from);
  t.ok(scavenges >= 5, `the load spans several scavenges (${scavenges})`);
  // With pretenuring on, more than the lists' own bytes were promoted (58.7 MB for 51.4 MB): each row and its strings.
  t.ok(
    promoted < bytes * 0.1,
    `promoted ${(promoted / 1048576).toFixed(2)} MB while answering ${(bytes / 1048576).toFixed(2)} MB of lists`,
  );
});
