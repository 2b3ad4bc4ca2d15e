import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { sql } from '../src/store/sql.ts';
import { recordScope } from '../src/engine/platform.ts';
import { RecordService } from '../src/engine/records/record-service.ts';
import { startTestApp, testDatabaseKind, type SignedIn, type TestApp } from '../src/platform/testing/index.ts';
import { FIXTURE_MODULES } from './helpers.ts';
import { create } from './realtime-fixtures.ts';
import { TestSocket } from './socket-client.ts';

// Two app nodes on one PostgreSQL database, with the same secret: writes and control messages cross
// between them. (An embedded PGlite belongs to one process: there is no second node to test there.)
const skip = testDatabaseKind() !== 'postgresql' && 'a second node needs PostgreSQL';

/** Two nodes; catch-up rare unless asked, so that a test sees which path delivered. */
async function cluster(t: Test, events: { transport?: 'postgres' | 'nats'; catchUpSeconds?: number }) {
  const testApp = await startTestApp({ modules: ['dir'], modulesDir: FIXTURE_MODULES, events: { catchUpSeconds: 3600, ...events } });
  t.teardown(() => testApp.close());
  return { testApp, a: testApp.app, b: await testApp.startNode() };
}

const write = (node: FastifyInstance, user: SignedIn, name: string) =>
  node
    .inject({ method: 'POST', url: '/api/records/dir.company', payload: { name }, headers: { authorization: `Bearer ${user.token}` } })
    .then((r) => r.json());

/** A write whose commit tells no one (as when a node dies right after COMMIT, or NATS drops the message). */
async function unannouncedWrite(node: FastifyInstance, user: SignedIn, name: string): Promise<string> {
  const session = await node.platform.sessions.resolve(user.tenant.id, user.user.id, Date.now());
  const service = new RecordService({ ...recordScope(node.platform, session), events: { committed: () => undefined } });
  return (await service.write.create('dir.company', { name })).id as string;
}

async function deliversBothWays(t: Test, { testApp, a, b }: { testApp: TestApp; a: FastifyInstance; b: FastifyInstance }) {
  const admin = await testApp.signup();
  const [onA, onB] = [await TestSocket.connect(a, admin.token), await TestSocket.connect(b, admin.token)];
  t.teardown(() => [onA, onB].forEach((s) => s.close()));
  const fromA = await write(a, admin, 'Written on A');
  const fromB = await write(b, admin, 'Written on B');
  t.same(
    (await onB.take(2)).map((f) => f.id),
    [fromA.id, fromB.id],
    "B's socket gets A's write and its own",
  );
  t.same(
    (await onA.take(2)).map((f) => f.id),
    [fromA.id, fromB.id],
    "A's socket gets B's write and its own",
  );

  const user = await testApp.addUser(admin, ['user']);
  const userOnB = await TestSocket.connect(b, user.token);
  await a.inject({
    method: 'PATCH',
    url: `/api/admin/users/${user.user.id}`,
    payload: { active: false },
    headers: { authorization: `Bearer ${admin.token}` },
  });
  t.equal((await userOnB.closed).code, 4401, 'a user deactivated on A is disconnected on B');
}

t.test("PostgreSQL LISTEN/NOTIFY: two nodes deliver each other's writes and control messages", { skip }, async (t) => {
  const nodes = await cluster(t, {});
  await deliversBothWays(t, nodes);

  const admin = await nodes.testApp.signup();
  const socket = await TestSocket.connect(nodes.b, admin.token);
  t.teardown(() => socket.close());
  // Cut every listener's connection: the buses reconnect and the hubs read what they missed meanwhile.
  await nodes.a.platform.db.system(
    sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
  );
  const missed = await unannouncedWrite(nodes.a, admin, 'While B was not listening');
  t.equal((await socket.take(1, 10_000))[0].id, missed, 'delivered after the listener reconnected');
});

t.test("NATS: two nodes deliver each other's writes and control messages", { skip }, async (t) => {
  const nodes = await cluster(t, { transport: 'nats' });
  await deliversBothWays(t, nodes);
});

t.test('a lost notification only delays delivery: the periodic catch-up reads the log', { skip }, async (t) => {
  const { testApp, a, b } = await cluster(t, { transport: 'nats', catchUpSeconds: 0.3 });
  const admin = await testApp.signup();
  const [onA, onB] = [await TestSocket.connect(a, admin.token), await TestSocket.connect(b, admin.token)];
  t.teardown(() => [onA, onB].forEach((s) => s.close()));
  const id = await unannouncedWrite(a, admin, 'Nobody was told');
  t.equal((await onB.take(1))[0].id, id, 'B finds it');
  t.equal((await onA.take(1))[0].id, id, 'so does A');
  const next = await create(admin, 'dir.company', { name: 'Announced' });
  t.equal((await onB.take(1))[0].id, next.id, 'and nothing twice');
});
