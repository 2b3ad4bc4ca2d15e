import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { testDatabaseKind } from '../src/platform/testing/index.ts';
import { startFixtureApp } from './helpers.ts';
import { create, newStage } from './realtime-fixtures.ts';
import { TestSocket } from './socket-client.ts';

/**
 * A creation reaches the writing node's sockets as its commit returned it, without a read of core_events
 * (engine/records/committed-events.ts); what the other paths read from the log — an update, a replay,
 * another node — is the same frame.
 */
const testApp = await startFixtureApp();
t.teardown(() => testApp.close());
const { app } = testApp;
const reads = (node: FastifyInstance = app) => node.realtime.hub.stats.logReads;

const DEAL = {
  name: 'Handed over',
  amount: 1234.5,
  probability: 12.5,
  priority: '1',
  data: { nested: [1, 'x', null], ok: true },
  lines: [{ description: 'Chairs', qty: 3, price: 10 }],
};

t.test('a creation goes out without a read of the log, as the write answered it, and its replay is the same frame', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const live = await TestSocket.connect(app, admin.token);
  t.teardown(() => live.close());
  const before = reads();
  const deal = await create(admin, 'sales.deal', { ...DEAL, stage });
  const [frame] = await live.takeEvents(1);
  t.equal(reads(), before, 'no read of core_events');
  t.strictSame(frame.record, deal, 'the record as the write answered it');

  const replay = await TestSocket.open(app, admin.token, {}, String(Number(frame.cursor) - 1));
  t.teardown(() => replay.close());
  const [replayed] = await replay.take(1);
  t.strictSame(replayed, frame, 'the resume, which reads core_events: the same frame');
});

t.test('an update is read from the log: its previous snapshot decides who hears of it', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const live = await TestSocket.connect(app, admin.token);
  t.teardown(() => live.close());
  const deal = await create(admin, 'sales.deal', { ...DEAL, stage });
  await live.takeEvents(1);
  const before = reads();
  const response = await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { name: 'Renamed' } });
  t.equal(response.statusCode, 200);
  const [frame] = await live.takeEvents(1);
  t.equal(frame.op, 'updated');
  t.ok(reads() > before, 'read from core_events');
  t.strictSame(frame.record, response.json());
});

t.test(
  'another node reads the creation from the log and sends the same frame',
  { skip: testDatabaseKind() !== 'postgresql' && 'one node on PGlite' },
  async (t) => {
    const other = await testApp.startNode();
    const admin = await testApp.signup();
    const stage = await newStage(admin);
    const here = await TestSocket.connect(app, admin.token);
    const there = await TestSocket.connect(other, admin.token);
    t.teardown(() => [here, there].forEach((s) => s.close()));
    const before = { here: reads(), there: reads(other) };
    await create(admin, 'sales.deal', { ...DEAL, stage });
    const [mine, theirs] = [(await here.takeEvents(1))[0], (await there.takeEvents(1))[0]];
    t.equal(reads(), before.here, 'the writing node: no read');
    t.ok(reads(other) > before.there, 'the other node: read from core_events');
    t.strictSame(theirs, mine);
  },
);
