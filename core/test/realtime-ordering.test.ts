import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { testDatabaseKind } from '../src/platform/testing/index.ts';
import { startFixtureApp } from './helpers.ts';
import { TestSocket, type Frame } from './socket-client.ts';

// Many writers at once, on every node there is (two on PostgreSQL, one on PGlite): every listener must
// see every event exactly once, with consecutive cursors, in one order that all listeners share.
const testApp = await startFixtureApp({ modules: ['dir'] });
t.teardown(() => testApp.close());
const nodes: FastifyInstance[] = [testApp.app];
if (testDatabaseKind() === 'postgresql') nodes.push(await testApp.startNode());

const WRITERS = 10;
const WRITES = 20;

t.test('concurrent writers: every listener sees every event once, in one shared order of consecutive cursors', async (t) => {
  const admin = await testApp.signup();
  const manager = await testApp.addUser(admin, ['manager']);
  const listeners: (TestSocket & { cursor: string })[] = [];
  for (const node of nodes) for (const who of [admin, manager]) listeners.push(await TestSocket.connect(node, who.token));
  t.teardown(() => listeners.forEach((l) => l.close()));
  const start = Number(listeners[0].cursor);

  const written: string[] = [];
  const writer = async (w: number) => {
    const node = nodes[w % nodes.length];
    const request = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      node.inject({ method, url, payload, headers: { authorization: `Bearer ${admin.token}` } });
    let id: string | undefined;
    for (let i = 0; i < WRITES; i++) {
      const response =
        id && i % 2 === 1
          ? await request('PATCH', `/api/records/dir.company/${id}`, { name: `W${w} update ${i}` })
          : await request('POST', '/api/records/dir.company', { name: `W${w} create ${i}` });
      if (response.statusCode >= 300) throw new Error(`write failed: ${response.statusCode} ${response.body}`);
      const record = response.json();
      id = record.id;
      written.push(`${record.id}@${record.version}`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

  const total = WRITERS * WRITES;
  const seen: Frame[][] = await Promise.all(listeners.map((l) => l.take(total, 30_000)));
  const order = (frames: Frame[]) => frames.map((f) => `${f.cursor} ${f.id}@${f.version}`);
  t.same(
    seen[0].map((f) => Number(f.cursor)),
    Array.from({ length: total }, (_, i) => start + i + 1),
    'consecutive cursors from hello on',
  );
  for (let i = 1; i < seen.length; i++) t.same(order(seen[i]), order(seen[0]), `listener ${i} shares the order of listener 0`);
  t.same(seen[0].map((f) => `${f.id}@${f.version}`).sort(), [...written].sort(), 'exactly the writes that were made');

  const versions = new Map<string, number>();
  const skipped: string[] = [];
  for (const frame of seen[0]) {
    const previous = versions.get(frame.id as string) ?? 0;
    if (frame.version !== previous + 1) skipped.push(`${frame.id} went from version ${previous} to ${frame.version}`);
    versions.set(frame.id as string, frame.version as number);
  }
  t.same(skipped, [], "each record's versions arrive in the order they were committed");
  const barrier = (await admin.request({ method: 'POST', url: '/api/records/dir.company', payload: { name: 'Barrier' } })).json();
  const after = await Promise.all(listeners.map((l) => l.until(barrier.id)));
  t.same(
    after.map((frames) => frames.length),
    listeners.map(() => 1),
    'and no duplicate comes later',
  );
});
