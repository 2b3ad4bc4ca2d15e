import t, { type Test } from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase, testDatabaseKind } from '@atrium/core/testing';
import { startHaProxy } from './support/haproxy.ts';
import { LiveClient } from './support/live-client.ts';
import { startNodes, stopNodes } from './support/node-cluster.ts';
import { signUp, tenantLatest, WriteLoad } from './support/write-load.ts';

/**
 * Issue 23, as an operator runs Atrium: three nodes on one PostgreSQL behind HAProxy (round robin, health
 * checks every 500 ms), 30 websockets of one tenant through the proxy, 4 writers creating records, one node
 * killed with kill -9 while they write. The clients on it reconnect through the proxy with `after=` their
 * last cursor: every client gets every event exactly once, in cursor order (and so every acknowledged
 * create), with PostgreSQL LISTEN/NOTIFY and with NATS carrying the notifications between nodes.
 * PGlite is one process: there is no second node to fail over to.
 */
const CLIENTS = 30;
const WRITE_MS = 5000;
const KILL_AT_MS = 2000;

async function failover(t: Test, transport: 'postgres' | 'nats'): Promise<void> {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const nodes = await startNodes(
    3,
    database.url!,
    { modules: ['dir'], modulesDir: FIXTURE_MODULES, auth: { passwordCost: 1024, rateLimitPerMinute: 10_000 } },
    { ATRIUM_EVENTS_TRANSPORT: transport },
  );
  t.teardown(() => stopNodes(nodes));
  const proxy = await startHaProxy(nodes.map((n) => n.url));
  t.teardown(() => proxy.stop());

  const { token, tenantId } = await signUp(proxy.url, 'Failover');
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => LiveClient.connect(proxy.url, token)));
  t.teardown(() => clients.forEach((c) => c.stop()));

  const load = new WriteLoad(proxy.url, token, { writers: 4, model: 'dir.company' });
  await sleep(KILL_AT_MS);
  await nodes[1].crash();
  await sleep(WRITE_MS - KILL_AT_MS);
  await load.stop();

  const latest = await tenantLatest(database.url!, tenantId);
  await Promise.all(clients.map((c) => c.reach(latest, 30_000)));
  await sleep(300); // anything after the latest would be a duplicate
  const reconnected = clients.filter((c) => c.connections > 1).length;
  t.ok(
    reconnected > 0,
    `${reconnected} clients were on the killed node and reconnected (${load.acknowledged.length} creates acknowledged, ${load.refused} cut off by the kill)`,
  );
  t.ok(
    clients.every((c) => c.start === clients[0].start),
    'all started from the same cursor',
  );
  t.same(
    clients.flatMap((c) => c.missing(latest, load.acknowledged)),
    [],
    `every client got the ${latest - clients[0].start} events once, in cursor order, and every acknowledged create`,
  );
}

if (testDatabaseKind() !== 'postgresql') {
  t.plan(0, 'several nodes need PostgreSQL: PGlite is one process');
} else {
  t.test(
    'PostgreSQL LISTEN/NOTIFY: a node killed under write load, its clients resume elsewhere, nothing lost, doubled or reordered',
    (t) => failover(t, 'postgres'),
  );
  t.test('NATS: the same', (t) => failover(t, 'nats'));
}
