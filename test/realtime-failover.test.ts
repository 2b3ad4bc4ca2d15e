import t, { type Test } from 'tap';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase, testDatabaseKind } from '../core/src/platform/testing/test-database.ts';
import { startHaProxy } from './support/haproxy.ts';
import { LiveClient } from './support/live-client.ts';
import { startNodes, stopNodes } from './support/node-cluster.ts';

/**
 * Issue 23, as an operator runs Atrium: three nodes on one PostgreSQL behind HAProxy (round robin, health
 * checks every 500 ms), 30 websockets of one tenant through the proxy, 4 writers creating records, one node
 * killed with kill -9 while they write. The clients on it reconnect through the proxy with `after=` their
 * last cursor: every client gets every event exactly once, in cursor order (and so every acknowledged
 * create), with PostgreSQL LISTEN/NOTIFY and with NATS carrying the notifications between nodes.
 * PGlite is one process: there is no second node to fail over to.
 */
const CLIENTS = 30;
const WRITERS = 4;
const WRITE_MS = 5000;
const KILL_AT_MS = 2000;

async function tenantLatest(url: string, tenantId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT last FROM core_event_cursors WHERE tenant_id = $1', [tenantId]);
    return Number(rows[0]?.last ?? 0);
  } finally {
    await client.end();
  }
}

async function failover(t: Test, transport: 'postgres' | 'nats'): Promise<void> {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const nodes = await startNodes(3, database.url!, { modules: ['dir'], modulesDir: FIXTURE_MODULES, auth: { passwordCost: 1024, rateLimitPerMinute: 10_000 } }, { ATRIUM_EVENTS_TRANSPORT: transport });
  t.teardown(() => stopNodes(nodes));
  const proxy = await startHaProxy(nodes.map((n) => n.url));
  t.teardown(() => proxy.stop());

  const signup = await fetch(`${proxy.url}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ company: 'Failover', name: 'F', email: 'failover@example.com', password: 'long enough password' }) });
  const { token, tenant } = (await signup.json()) as { token: string; tenant: { id: string } };
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => LiveClient.connect(proxy.url, token)));
  t.teardown(() => clients.forEach((c) => c.stop()));

  const acknowledged: string[] = [];
  let refused = 0;
  const until = Date.now() + WRITE_MS;
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    for (let n = 0; Date.now() < until; n++) {
      const response = await fetch(`${proxy.url}/api/records/dir.company`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: `W${w}-${n}` }) }).catch(() => undefined);
      if (response?.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
      else refused++;
    }
  });
  await sleep(KILL_AT_MS);
  await nodes[1].crash();
  await Promise.all(writers);

  const latest = await tenantLatest(database.url!, tenant.id);
  await Promise.all(clients.map((c) => c.reach(latest, 30_000)));
  await sleep(300); // anything after the latest would be a duplicate
  const reconnected = clients.filter((c) => c.connections > 1).length;
  t.ok(reconnected > 0, `${reconnected} clients were on the killed node and reconnected (${acknowledged.length} creates acknowledged, ${refused} cut off by the kill)`);
  t.same(clients.flatMap((c) => c.problems), [], 'no client saw an event out of cursor order, twice, or a hello not where it resumed');
  const start = clients[0].start;
  t.ok(clients.every((c) => c.start === start), 'all started from the same cursor');
  const expected = Array.from({ length: latest - start }, (_, i) => start + i + 1);
  t.ok(clients.every((c) => c.cursors.length === expected.length && c.cursors.every((cursor, i) => cursor === expected[i])), `every client got the ${expected.length} events, each once, in order`);
  t.same(clients.flatMap((c) => acknowledged.filter((id) => c.ids.get(id) !== 1)), [], 'every acknowledged create reached every client exactly once');
}

if (testDatabaseKind() !== 'postgresql') {
  t.pass('several nodes need PostgreSQL: PGlite is one process');
} else {
  t.test('PostgreSQL LISTEN/NOTIFY: a node killed under write load, its clients resume elsewhere, nothing lost, doubled or reordered', (t) => failover(t, 'postgres'));
  t.test('NATS: the same', (t) => failover(t, 'nats'));
}
