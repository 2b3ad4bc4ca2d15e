import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { PGlite } from '@electric-sql/pglite';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase, testDatabaseKind } from '@atrium/core/testing';
import { makeProject, startServerProcess } from './support/server-process.ts';

/**
 * kill -9 during 200 concurrent writes: after a restart every acknowledged write is there with exactly
 * one event, no event exists without its write (the outbox shares the write's transaction), cursors
 * have no gap, and a socket that watched the crash resumes on the new server with every event it missed.
 */
const database = await createTestDatabase();
t.teardown(() => database.drop());
const root = makeProject({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: 'data' });
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const env: Record<string, string> = database.url ? { DATABASE_URL: database.url } : {};

const first = await startServerProcess(root, env);
const post = (url: string, body: object, token?: string) =>
  fetch(`${first.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const { token } = (await (
  await post('/api/auth/signup', { company: 'Crash Co', name: 'A', email: 'crash@example.com', password: 'long enough' })
).json()) as { token: string };
const stage = (
  (await (await fetch(`${first.url}/api/records/sales.stage`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    data: { id: string }[];
  }
).data[0].id;

/** A socket's event frames as {cursor, id, op}, after its hello; `resume` asks for what followed a cursor. */
interface Watcher {
  hello: number;
  events: { cursor: number; id: string; op: string }[];
  resume(after: number): void;
  close(): void;
}
function watch(base: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/ws?token=${token}`);
    const events: Watcher['events'] = [];
    ws.on('error', () => undefined);
    ws.once('unexpected-response', () => reject(new Error('websocket refused')));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; cursor: string; id: string; op: string };
      if (frame.type === 'hello')
        resolve({
          hello: Number(frame.cursor),
          events,
          resume: (after) => ws.send(JSON.stringify({ type: 'resume', after: String(after) })),
          close: () => ws.close(),
        });
      if (frame.type === 'event') events.push({ cursor: Number(frame.cursor), id: frame.id, op: frame.op });
    });
  });
}
const watcher = await watch(first.url);

const acknowledged = new Map<string, string>();
let killing: Promise<void> | undefined;
/** What went wrong other than the kill: any answer but a 201, any request error before the kill began. */
const unexpected: string[] = [];
const writes = Array.from({ length: 200 }, (_, i) =>
  post('/api/records/sales.deal', { name: `deal ${i}`, stage, amount: '1.00' }, token)
    .then(async (response) => {
      if (response.status !== 201) return void unexpected.push(`deal ${i}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { id: string; name: string };
      acknowledged.set(body.id, body.name);
      if (acknowledged.size === 30) killing = first.crash();
    })
    // Once the kill has begun, a request the dead server never answered fails (reset, refused): expected.
    .catch((error: Error) => void (killing ? undefined : unexpected.push(`deal ${i}: ${error.message} before the kill`))),
);
await Promise.all(writes);
await killing;
if (!killing) await first.crash();

const second = await startServerProcess(root, env);
// The socket to the killed server saw events up to some cursor; a new one resumes from there.
const lastSeen = Math.max(watcher.hello, ...watcher.events.map((e) => e.cursor));
const resumed = await watch(second.url);
resumed.resume(lastSeen);
for (
  const deadline = Date.now() + 20_000;
  Math.max(lastSeen, ...resumed.events.map((e) => e.cursor)) < resumed.hello && Date.now() < deadline;
)
  await new Promise((r) => setTimeout(r, 50));
resumed.close();

t.test('the server died mid-way', async (t) => {
  t.ok(acknowledged.size >= 30 && acknowledged.size < 200, `${acknowledged.size} of 200 writes were acknowledged`);
  t.same(unexpected, [], 'until the kill every write was answered 201');
});
const get = async (url: string) =>
  (await fetch(`${second.url}${url}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, unknown>>;

t.test('every acknowledged write survived, with exactly one event', async (t) => {
  for (const [id, name] of acknowledged) {
    const record = await get(`/api/records/sales.deal/${id}`);
    t.equal(record.name, name, `deal ${name} is there`);
    const history = (await get(`/api/records/sales.deal/${id}/history`)).data as { op: string }[];
    t.same(
      history.map((e) => e.op),
      ['created'],
      `deal ${name} has one event`,
    );
  }
});
t.test('a socket that watched the crash resumes with every event it missed, in order, once', async (t) => {
  const events = [...watcher.events, ...resumed.events];
  const cursors = events.map((e) => e.cursor);
  t.ok(watcher.events.length > 0, `the first socket saw ${watcher.events.length} events before the crash`);
  t.same(
    cursors,
    Array.from({ length: resumed.hello - watcher.hello }, (_, i) => watcher.hello + 1 + i),
    'every cursor from the first hello to the last, no gap, no duplicate',
  );
  const created = new Set(events.filter((e) => e.op === 'created').map((e) => e.id));
  t.same(
    [...acknowledged.keys()].filter((id) => !created.has(id)),
    [],
    'an event for every acknowledged write',
  );
});
t.test('no event without its write, no write without its event, no gap in cursors', async (t) => {
  await second.stop();
  const queries = [
    `SELECT count(*)::int AS n FROM core_events e WHERE e.model = 'sales.deal' AND NOT EXISTS (SELECT 1 FROM sales_deal d WHERE d.tenant_id = e.tenant_id AND d.id = e.record_id)`,
    `SELECT count(*)::int AS n FROM sales_deal d WHERE (SELECT count(*) FROM core_events e WHERE e.tenant_id = d.tenant_id AND e.record_id = d.id AND e.op = 'created') <> 1`,
    // Cursors are 1, 2, 3… per tenant, and the counter stands at the last one.
    `SELECT count(*)::int AS n FROM (SELECT seq, lag(seq, 1, 0::bigint) OVER (PARTITION BY tenant_id ORDER BY seq) AS previous FROM core_events) s WHERE seq <> previous + 1`,
    `SELECT count(*)::int AS n FROM core_event_cursors c WHERE c.last <> (SELECT coalesce(max(seq), 0) FROM core_events e WHERE e.tenant_id = c.tenant_id)`,
  ];
  let results: number[];
  if (testDatabaseKind() === 'postgresql') {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    results = await Promise.all(queries.map(async (q) => (await client.query(q)).rows[0].n));
    await client.end();
  } else {
    const db = await PGlite.create(join(root, 'data', 'pglite'));
    results = await Promise.all(queries.map(async (q) => (await db.query<{ n: number }>(q)).rows[0].n));
    await db.close();
  }
  t.same(results, [0, 0, 0, 0]);
});
