import t from 'tap';
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import platform from '../../platform.config.ts';
import { createTestDatabase } from '@atrium/core/testing';
import { makeProject, startServerProcess } from '../support/server-process.ts';
import { hostileRequest } from './support/requests.ts';
import { fuzzParameters, SEED } from './support/oracle.ts';

/**
 * Hostile requests against a real server process, whose log is read after: no 5xx, no error or fatal
 * line (an error that was answered but logged as unexpected counts), no unhandled rejection, and the
 * process still runs.
 */
const database = await createTestDatabase();
t.teardown(() => database.drop());
const root = makeProject({
  modules: platform.modules,
  modulesDir: join(import.meta.dirname, '../../modules'),
  dataDir: 'data',
  logLevel: 'info',
});
const server = await startServerProcess(root, database.url ? { DATABASE_URL: database.url } : {});
t.teardown(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const signup = async (company: string) =>
  (await (
    await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company, name: 'A', email: `${company}@example.com`, password: 'long enough' }),
    })
  ).json()) as { token: string };
const admin = await signup('logged');
const other = await signup('other');
const someId = (
  (await (
    await fetch(`${server.url}/api/records/contacts.partner?limit=1`, { headers: { authorization: `Bearer ${admin.token}` } })
  ).json()) as { data: { id: string }[] }
).data[0]?.id;
// fetch refuses to send these itself.
const FORBIDDEN = new Set(['transfer-encoding', 'content-encoding', 'accept-encoding']);

t.test(`hostile requests leave no error in the log (seed ${SEED})`, async (t) => {
  const statuses: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(
      hostileRequest(['contacts.partner', 'crm.lead', 'quotations.quotation', 'core.user'], someId, other.token),
      async (r) => {
        const auth = r.authorization(admin.token);
        const headers = Object.fromEntries(
          Object.entries({
            ...(r.contentType === null ? {} : { 'content-type': r.contentType }),
            ...(auth === undefined ? {} : { authorization: auth }),
            ...r.extra,
          }).filter(([name]) => !FORBIDDEN.has(name)),
        );
        const withBody = r.body !== null && r.method !== 'GET' && r.method !== 'HEAD';
        const sent = fetch(`${server.url}${r.path}`, { method: r.method, headers, ...(withBody ? { body: r.body } : {}) });
        const response = await sent.catch((error: Error & { cause?: { code?: string } }) => {
          // A body over the 1 MB limit may be answered (413, or 404 by the router) before it is all sent, and the
          // connection closed under the client's write: a refusal the client sees as a reset, not a server fault.
          if (withBody && Buffer.byteLength(r.body!) > 1024 * 1024 && ['ECONNRESET', 'EPIPE'].includes(error.cause?.code ?? ''))
            return null;
          throw error;
        });
        if (!response) return void (statuses[0] = (statuses[0] ?? 0) + 1);
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status >= 500) throw new Error(`${r.method} ${r.path}: ${response.status}`);
      },
    ),
    fuzzParameters(1000),
  );
  await new Promise((r) => setTimeout(r, 300));
  // JSON lines are the log; the others are the start-up banner.
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'));
  const errors = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  t.same(errors, [], `no error or fatal line among ${lines.length} (answers ${JSON.stringify(statuses)})`);
  t.notMatch(server.output(), /unhandled|uncaught/i);
  t.equal(server.child.exitCode, null, 'the server still runs');
});
