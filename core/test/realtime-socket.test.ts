import t from 'tap';
import WebSocket from 'ws';
import { startTestApp } from '../src/platform/testing/index.ts';
import { FIXTURE_MODULES } from './helpers.ts';
import { create, newStage, waitFor } from './realtime-fixtures.ts';
import { HandshakeRefused, TestSocket, wsBase } from './socket-client.ts';

const testApp = await startTestApp({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, events: { pingIntervalSeconds: 0.25 } });
t.teardown(() => testApp.close());
const { app } = testApp;
const admin = await testApp.signup('Socket Co');
const stage = await newStage(admin);

const refusal = (promise: Promise<unknown>): Promise<number> =>
  promise.then(
    () => 0,
    (error: unknown) => (error instanceof HandshakeRefused ? error.status : -1),
  );

t.test('the handshake refuses a missing, bad or forged token with 401', async (t) => {
  t.equal(await refusal(TestSocket.open(app, undefined)), 401);
  t.equal(await refusal(TestSocket.open(app, 'not-a-token')), 401);
  const forged = admin.token.slice(0, -4) + (admin.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  t.equal(await refusal(TestSocket.open(app, forged)), 401);
});

t.test('the handshake refuses a foreign Origin with 403 and lets in the own origin and clients without one', async (t) => {
  const host = new URL(await wsBase(app)).host;
  t.equal(await refusal(TestSocket.open(app, admin.token, { origin: 'https://evil.example' })), 403);
  t.equal(await refusal(TestSocket.open(app, admin.token, { origin: `http://${host}.evil.example` })), 403);
  t.equal(await refusal(TestSocket.open(app, admin.token, { origin: 'null' })), 403);
  const own = await TestSocket.connect(app, admin.token);
  own.close();
  const sameOrigin = await TestSocket.open(app, admin.token, { origin: `http://${host}` });
  t.equal((await sameOrigin.next()).type, 'hello');
  sameOrigin.close();
});

t.test('configured origins replace the default; a server that stops closes its sockets with 1001', async (t) => {
  const other = await startTestApp({ modules: ['dir'], modulesDir: FIXTURE_MODULES, origins: ['https://erp.example.com'] });
  let stopped = false;
  t.teardown(() => stopped || other.close());
  const user = await other.signup();
  const host = new URL(await wsBase(other.app)).host;
  t.equal(await refusal(TestSocket.open(other.app, user.token, { origin: `http://${host}` })), 403, 'the own origin is no longer enough');
  const allowed = await TestSocket.open(other.app, user.token, { origin: 'https://erp.example.com' });
  t.equal((await allowed.next()).type, 'hello');
  await other.close();
  stopped = true;
  t.equal((await allowed.closed).code, 1001);
});

t.test('hello carries the latest cursor, then creates, updates, actions and deletes arrive in cursor order', async (t) => {
  const before = await create(admin, 'dir.company', { name: 'Before' });
  const history = (await admin.request({ method: 'GET', url: `/api/records/dir.company/${before.id}/history` })).json();
  const socket = await TestSocket.connect(app, admin.token);
  t.teardown(() => socket.close());
  t.equal(socket.cursor, history.data.at(-1).cursor, 'hello names the last event written');

  const deal = await create(admin, 'sales.deal', { name: 'Live', stage, amount: '10.00' });
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { amount: '12.50' } });
  await admin.request({ method: 'POST', url: `/api/records/sales.deal/${deal.id}/actions/close` });
  t.equal((await admin.request({ method: 'DELETE', url: `/api/records/sales.deal/${deal.id}` })).statusCode, 204);

  const [created, updated, closed, deleted] = await socket.take(4);
  const start = Number(socket.cursor);
  t.same(
    [created, updated, closed, deleted].map((f) => [f.type, f.cursor, f.op, f.model, f.id, f.version]),
    [
      ['event', String(start + 1), 'created', 'sales.deal', deal.id, 1],
      ['event', String(start + 2), 'updated', 'sales.deal', deal.id, 2],
      ['event', String(start + 3), 'updated', 'sales.deal', deal.id, 3],
      ['event', String(start + 4), 'deleted', 'sales.deal', deal.id, 3],
    ],
  );
  const read = created.record as Record<string, unknown>;
  t.equal(read.name, 'Live');
  t.equal(read.amount, '10.00', 'money is the exact string REST returns');
  t.same(read.stage, { id: stage, display: 'New' }, 'many2one as {id, display}');
  t.equal((updated.record as Record<string, unknown>).amount, '12.50');
  t.equal((closed.record as Record<string, unknown>).done, true);
  t.notOk('record' in deleted, 'a deletion carries no record');
});

t.test('bad frames get error frames and the socket stays open', async (t) => {
  const socket = await TestSocket.connect(app, admin.token);
  t.teardown(() => socket.close());
  const errorCode = async (message: unknown): Promise<unknown> => {
    socket.send(message);
    const frame = await socket.next();
    t.equal(frame.type, 'error');
    return frame.code;
  };
  t.equal(await errorCode('{not json'), 'bad_message');
  t.equal(await errorCode('[1, 2]'), 'bad_message');
  t.equal(await errorCode('"resume"'), 'bad_message');
  t.equal(await errorCode({ kind: 'resume' }), 'bad_message');
  t.equal(await errorCode({ type: 'subscribe', model: 'sales.deal' }), 'unknown_type');
  t.equal(await errorCode({ type: 'resume', after: 'abc' }), 'bad_cursor');
  t.equal(await errorCode({ type: 'resume', after: 5 }), 'bad_cursor', 'cursors are strings');
  t.equal(await errorCode({ type: 'resume', after: '-1' }), 'bad_cursor');
  t.equal(await errorCode({ type: 'resume', after: '1'.repeat(30) }), 'bad_cursor');
  socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  t.equal((await socket.next()).code, 'bad_message', 'binary frames are refused');

  const company = await create(admin, 'dir.company', { name: 'Still open' });
  const [event] = await socket.until(company.id);
  t.equal(event.op, 'created');
});

t.test('a client sending too many frames is slowed down with rate_limited', async (t) => {
  const socket = await TestSocket.connect(app, admin.token);
  t.teardown(() => socket.close());
  for (let i = 0; i < 21; i++) socket.send('{}');
  const codes = (await socket.take(21)).map((f) => f.code);
  t.same(codes.slice(0, 20), Array(20).fill('bad_message'));
  t.equal(codes[20], 'rate_limited');
});

t.test('an oversized frame closes the socket with 1009, a text frame that is not UTF-8 with 1007', async (t) => {
  const big = await TestSocket.connect(app, admin.token);
  big.send({ type: 'resume', after: '1', padding: 'x'.repeat(10_000) });
  t.equal((await big.closed).code, 1009);
  const garbled = await TestSocket.connect(app, admin.token);
  garbled.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  t.equal((await garbled.closed).code, 1007);
  const next = await TestSocket.connect(app, admin.token);
  t.equal(next.ws.readyState, WebSocket.OPEN, 'the server goes on');
  next.close();
});

t.test('a deactivated user is disconnected with 4401 and cannot come back', async (t) => {
  const user = await testApp.addUser(admin, ['user']);
  const socket = await TestSocket.connect(app, user.token);
  const response = await admin.request({ method: 'PATCH', url: `/api/admin/users/${user.user.id}`, payload: { active: false } });
  t.equal(response.statusCode, 200);
  t.equal((await socket.closed).code, 4401);
  t.equal(await refusal(TestSocket.open(app, user.token)), 401);
});

t.test('logging out everywhere closes the sockets opened with older tokens with 4401', async (t) => {
  const user = await testApp.addUser(admin, ['user']);
  const sockets = [await TestSocket.connect(app, user.token), await TestSocket.connect(app, user.token)];
  t.equal((await user.request({ method: 'POST', url: '/api/auth/logout' })).statusCode, 204);
  t.same(
    (await Promise.all(sockets.map((s) => s.closed))).map((c) => c.code),
    [4401, 4401],
  );
});

t.test('a socket is closed with 4401 when its token expires', async (t) => {
  const token = app.jwt.sign({ sub: admin.user.id, tid: admin.tenant.id, iss_ms: Date.now() }, { expiresIn: 2 });
  const socket = await TestSocket.connect(app, token);
  const opened = Date.now();
  const { code } = await socket.closed;
  t.equal(code, 4401);
  t.ok(Date.now() - opened < 2500, 'closed at the expiry, not later');
});

t.test('the heartbeat pings a tenth of the sockets a tick, each socket once an interval', async (t) => {
  const sockets = await Promise.all(Array.from({ length: 20 }, () => TestSocket.connect(app, admin.token)));
  const pings = sockets.map(() => 0);
  sockets.forEach((socket, i) => socket.ws.on('ping', () => pings[i]++));
  await waitFor(() => pings.every((n) => n >= 2));
  // 20 sockets over 10 ticks: two a tick, one or two more at most for sockets other tests left open. Before,
  // each tick pinged every socket of the node (1,000 at once took 35 ms of the event loop).
  t.ok(app.realtime.hub.stats.mostPingedInOneTick <= 4, `at most ${app.realtime.hub.stats.mostPingedInOneTick} sockets in one tick`);
  t.ok(
    pings.every((n) => n >= 2),
    'every socket was pinged again within the next interval',
  );
  for (const socket of sockets) socket.close();
});

t.test('a client that stops answering pings is dropped', async (t) => {
  const socket = await TestSocket.connect(app, admin.token);
  let pinged = false;
  socket.ws.once('ping', () => (pinged = true));
  t.ok(
    await waitFor(() => pinged).then(
      () => true,
      () => false,
    ),
    'the server pings',
  );
  const before = app.websocketServer.clients.size;
  socket.ws.pause(); // reads nothing more, so it answers no ping
  await waitFor(() => app.websocketServer.clients.size === before - 1);
  socket.ws.resume();
  t.equal((await socket.closed).code, 1006, 'terminated without a close frame');
  t.equal(socket.ws.readyState, WebSocket.CLOSED);
});
