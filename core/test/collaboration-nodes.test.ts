import t, { type Test } from 'tap';
import { sql } from '../src/store/sql.ts';
import { testDatabaseKind } from '../src/platform/testing/index.ts';
import { startFixtureApp, call } from './helpers.ts';
import { TestSocket } from './socket-client.ts';
import { names, nextOf, presenceOf, salesTeam } from './collaboration-fixtures.ts';

// Two app nodes on one PostgreSQL database (an embedded PGlite belongs to one process).
const skip = testDatabaseKind() !== 'postgresql' && 'a second node needs PostgreSQL';

async function cluster(t: Test, transport: 'postgres' | 'nats') {
  const testApp = await startFixtureApp({ events: { transport } });
  t.teardown(() => testApp.close());
  return { testApp, a: testApp.app, b: await testApp.startNode() };
}

for (const transport of ['postgres', 'nats'] as const) {
  t.test(`${transport}: presence and notifications cross nodes`, { skip }, async (t) => {
    const { testApp, a, b } = await cluster(t, transport);
    const { admin, sam, deal } = await salesTeam(testApp);
    const samOnA = await TestSocket.connect(a, sam.token);
    const adminOnB = await TestSocket.connect(b, admin.token);
    t.teardown(() => [samOnA, adminOnB].forEach((s) => s.close()));

    samOnA.send({ type: 'watch', model: 'sales.deal', id: deal });
    t.same(names(await nextOf(samOnA, 'presence')), ['Sam']);
    adminOnB.send({ type: 'watch', model: 'sales.deal', id: deal, editing: 'amount' });
    await presenceOf(adminOnB, ['Admin', 'Sam']); // fails the test by its timeout if B never lists Sam
    t.pass('B sees the watcher on A');
    const seen = await nextOf(samOnA, 'presence');
    t.same(names(seen), ['Admin', 'Sam'], 'A sees the watcher on B');
    t.match(
      (seen.users as { name: string }[]).find((u) => u.name === 'Admin'),
      { editing: true, field: 'amount' },
      'editing the amount',
    );
    adminOnB.close();
    t.same(names(await nextOf(samOnA, 'presence')), ['Sam'], "B's closed socket leaves A's list within seconds");

    // A write on B assigns the deal to Sam, whose socket is on A.
    t.equal(
      (
        await b.inject({
          method: 'PATCH',
          url: `/api/records/sales.deal/${deal}`,
          payload: { owner: sam.user.id },
          headers: { authorization: `Bearer ${admin.token}` },
        })
      ).statusCode,
      200,
    );
    t.match(await nextOf(samOnA, 'notification'), { unread: 1, notification: { record: { id: deal } } }, 'delivered on the other node');
  });
}

t.test('a node that stops repeating its presence drops out', { skip }, async (t) => {
  const { testApp, a, b } = await cluster(t, 'postgres');
  const { admin, sam, deal } = await salesTeam(testApp);
  const samOnA = await TestSocket.connect(a, sam.token);
  t.teardown(() => samOnA.close());
  samOnA.send({ type: 'watch', model: 'sales.deal', id: deal });
  await nextOf(samOnA, 'presence');
  // What B says about a watcher it has, as if B then died without a word: A forgets it after the TTL.
  b.platform.bus.signal({
    kind: 'presence',
    tenantId: admin.tenant.id,
    model: 'sales.deal',
    id: deal,
    users: [{ id: admin.user.id, name: 'Admin', editing: false }],
  });
  t.same(names(await nextOf(samOnA, 'presence')), ['Admin', 'Sam']);
  t.same(names(await nextOf(samOnA, 'presence', 25_000)), ['Sam'], 'gone once B stopped repeating it');
});

t.test('two nodes mail an unread notification exactly once', { skip }, async (t) => {
  const { testApp, a, b } = await cluster(t, 'postgres');
  const { admin, sam, stage } = await salesTeam(testApp);
  for (let i = 0; i < 20; i++) await call(admin, 'POST', '/api/records/sales.deal', { name: `Deal ${i}`, stage, owner: sam.user.id });
  await a.platform.db.system(
    sql`UPDATE core_notifications SET created_at = now() - interval '1 hour' WHERE tenant_id = ${admin.tenant.id}::uuid`,
  );
  const passes = await Promise.all([a, b, a, b].map((node) => node.platform.notificationMail.pass()));
  t.equal(
    passes.reduce((sum, pass) => sum + pass.mailed, 0),
    20,
    'twenty mails in all',
  );
  const [{ count }] = await a.platform.db.system<{ count: string }>(
    sql`SELECT count(*) FROM core_mails WHERE tenant_id = ${admin.tenant.id}::uuid AND model = 'sales.deal'`,
  );
  t.equal(Number(count), 20, 'one per notification');
});

t.test('two nodes notify each activity come due exactly once', { skip }, async (t) => {
  const { testApp, a, b } = await cluster(t, 'postgres');
  const { admin, sam, deal } = await salesTeam(testApp);
  const later = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < 30; i++) {
    const answer = await call(admin, 'POST', `/api/records/sales.deal/${deal}/activities`, {
      type: 'todo',
      summary: `Task ${i}`,
      due: later,
      assigned_to: sam.user.id,
    });
    t.equal(answer.status, 201);
  }
  await a.platform.db.system(sql`UPDATE core_activities SET due = current_date WHERE tenant_id = ${admin.tenant.id}::uuid`);
  // Both nodes at once (their own loops may run meanwhile too).
  const passes = await Promise.all([a, b, a, b].map((node) => node.platform.activityDue.pass()));
  t.ok(passes.reduce((sum, pass) => sum + pass.handled, 0) <= 30, 'at most thirty told by these passes');
  const [told] = await a.platform.db.system<{ count: string; activities: string }>(
    sql`SELECT count(*), count(DISTINCT body) AS activities FROM core_notifications WHERE tenant_id = ${admin.tenant.id}::uuid AND kind = 'activity_due'`,
  );
  t.same([Number(told.count), Number(told.activities)], [30, 30], 'one per activity');
});
