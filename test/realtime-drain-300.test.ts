import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase, testDatabaseKind } from '@atrium/core/testing';
import { startHaProxy } from './support/haproxy.ts';
import { LiveClient } from './support/live-client.ts';
import { startNodes, stopNodes } from './support/node-cluster.ts';
import { signUp, tenantLatest, WriteLoad } from './support/write-load.ts';

/**
 * Issue 21 §3: 300 websockets spread by HAProxy over three nodes, a steady write load; `kill -9` one node: its
 * sockets reconnect through the proxy with `after=` and nothing is lost or doubled, and the writes go on. Then
 * SIGTERM another: it drains (ATRIUM_DRAIN_SECONDS: readiness 503, the proxy takes it out, then its sockets are
 * closed with 1001 and resume on the last node) with no error for any client: every write of that phase is
 * acknowledged and every socket it closes is closed with 1001.
 */
const CLIENTS = 300;

if (testDatabaseKind() !== 'postgresql') {
  t.plan(0, 'several nodes need PostgreSQL: PGlite is one process');
} else {
  t.test('300 sockets over three nodes: one killed, then one drained, every client gets every event once, in order', async (t) => {
    const database = await createTestDatabase();
    t.teardown(() => database.drop());
    const config = {
      modules: ['dir'],
      modulesDir: FIXTURE_MODULES,
      auth: { passwordCost: 1024, rateLimitPerMinute: 10_000 },
      events: { maxSocketsPerUser: CLIENTS + 50 },
    };
    const nodes = await startNodes(3, database.url!, config, { ATRIUM_DRAIN_SECONDS: '2' });
    t.teardown(() => stopNodes(nodes));
    const proxy = await startHaProxy(nodes.map((n) => n.url));
    t.teardown(() => proxy.stop());
    const { token, tenantId } = await signUp(proxy.url, 'Drained Co');
    const clients: LiveClient[] = [];
    t.teardown(() => clients.forEach((c) => c.stop()));
    for (let i = 0; i < CLIENTS; i += 50)
      clients.push(...(await Promise.all(Array.from({ length: 50 }, () => LiveClient.connect(proxy.url, token, 200)))));

    const load = new WriteLoad(proxy.url, token, { writers: 2, model: 'dir.company', pauseMs: 25 });
    await sleep(1500);
    await nodes[1].crash();
    await sleep(1500);
    const killed = { refused: load.refused, acknowledged: load.acknowledged.length };
    t.ok(clients.filter((c) => c.connections > 1).length > 0, "the killed node's clients reconnected");
    // Everyone has caught up before the second node goes: the closes from here on are the drain's.
    const beforeDrain = await tenantLatest(database.url!, tenantId);
    await Promise.all(clients.map((c) => c.reach(beforeDrain, 20_000)));
    const closesBefore = clients.map((c) => c.closes.length);

    const drained = nodes[2].stop();
    await sleep(1000);
    t.equal((await fetch(`${nodes[2].url}/api/ready`)).status, 503, 'the draining node says it is not ready');
    await drained;
    await sleep(1000);
    await load.stop();
    t.ok(
      load.acknowledged.length > killed.acknowledged + 10,
      `the writes went on (${killed.acknowledged} acknowledged by the kill, ${load.acknowledged.length} in all)`,
    );
    t.same(load.refusals.slice(killed.refused), [], `no write refused during the drain (${killed.refused} cut off by the kill)`);
    const drainCloses = clients.flatMap((c, i) => c.closes.slice(closesBefore[i]));
    t.ok(drainCloses.length > 0, `${drainCloses.length} sockets were on the drained node`);
    t.same([...new Set(drainCloses)], [1001], 'each closed with 1001 (going away), never cut');

    const latest = await tenantLatest(database.url!, tenantId);
    await Promise.all(clients.map((c) => c.reach(latest, 30_000)));
    await sleep(300);
    t.same(
      clients.flatMap((c) => c.missing(latest, load.acknowledged)),
      [],
      `every client got the ${latest - clients[0].start} events once, in order, and every acknowledged create`,
    );
  });
}
