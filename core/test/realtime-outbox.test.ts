import t from 'tap';
import { raw, sql } from '../src/store/sql.ts';
import { startFixtureApp } from './helpers.ts';
import { create, newStage } from './realtime-fixtures.ts';
import { TestSocket } from './socket-client.ts';

const testApp = await startFixtureApp();
t.teardown(() => testApp.close());
const { app } = testApp;
const { db } = app.platform;
const admin = await testApp.signup();
const stage = await newStage(admin);

// Deferred constraint triggers fire at COMMIT: the record, its event row and its NOTIFY are all written by
// then, so a refusal here proves they roll back together.
await db.system(
  raw(`CREATE FUNCTION test_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.name = 'Refused at commit' OR (to_jsonb(NEW) ->> 'done') = 'true' THEN RAISE EXCEPTION 'refused at commit'; END IF;
    RETURN NEW;
  END $$`),
);
for (const table of ['dir_company', 'sales_deal']) {
  await db.system(
    raw(
      `CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT OR UPDATE ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_at_commit()`,
    ),
  );
}

const events = (recordId: string) =>
  db.system<{ seq: number; op: string; version: number }>(
    sql`SELECT seq, op, version FROM core_events WHERE tenant_id = ${admin.tenant.id}::uuid AND record_id = ${recordId}::uuid ORDER BY seq`,
  );

t.test('every create, update and delete appends one event row, with consecutive cursors', async (t) => {
  const deal = await create(admin, 'sales.deal', { name: 'Logged', stage });
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { amount: '5.00' } });
  await admin.request({ method: 'DELETE', url: `/api/records/sales.deal/${deal.id}` });
  const rows = await events(deal.id);
  t.same(
    rows.map((r) => [r.op, r.version]),
    [
      ['created', 1],
      ['updated', 2],
      ['deleted', 2],
    ],
  );
  t.same(
    rows.map((r) => r.seq),
    [rows[0].seq, rows[0].seq + 1, rows[0].seq + 2],
    'consecutive cursors',
  );
});

t.test('a write rolled back at commit emits nothing and uses up no cursor', async (t) => {
  const socket = await TestSocket.connect(app, admin.token);
  t.teardown(() => socket.close());
  const refused = await admin.request({ method: 'POST', url: '/api/records/dir.company', payload: { name: 'Refused at commit' } });
  t.ok(refused.statusCode >= 400, 'the one-round-trip create fails');

  const deal = await create(admin, 'sales.deal', { name: 'Cannot close', stage });
  const action = await admin.request({ method: 'POST', url: `/api/records/sales.deal/${deal.id}/actions/close` });
  t.ok(action.statusCode >= 400, 'the action (a transaction over several round trips) fails');
  t.same(
    (await events(deal.id)).map((r) => r.op),
    ['created'],
    'no event row for the action',
  );
  const [{ n }] = await db.system<{ n: number }>(sql`SELECT count(*)::int AS n FROM dir_company WHERE name = 'Refused at commit'`);
  t.equal(n, 0, 'no record either');

  const barrier = await create(admin, 'dir.company', { name: 'Barrier' });
  const frames = await socket.until(barrier.id);
  t.same(
    frames.map((f) => [f.op, f.id]),
    [
      ['created', deal.id],
      ['created', barrier.id],
    ],
    'only the committed writes reach the socket',
  );
  t.same(
    frames.map((f) => Number(f.cursor)),
    [Number(socket.cursor) + 1, Number(socket.cursor) + 2],
    'the refused writes took no cursor',
  );
});

t.test('the history is read from the same log: the cursors the socket saw, masked like a read', async (t) => {
  const user = await testApp.addUser(admin, ['user']);
  const socket = await TestSocket.connect(app, user.token);
  t.teardown(() => socket.close());
  const deal = await create(admin, 'sales.deal', { name: 'Audited', stage, secret: 'classified' });
  await admin.request({
    method: 'PATCH',
    url: `/api/records/sales.deal/${deal.id}`,
    payload: { name: 'Audited twice', secret: 'still classified' },
  });
  const live = await socket.take(2);
  const history = (await user.request({ method: 'GET', url: `/api/records/sales.deal/${deal.id}/history` })).json();
  t.same(
    history.data.map((e: { cursor: string; op: string }) => [e.cursor, e.op]),
    live.map((f) => [f.cursor, f.op]),
  );
  t.same(history.data[1].changes, { name: 'Audited twice' }, 'the change of a field the user may not read is left out');
  t.notOk(JSON.stringify(history).includes('classified'));
});
