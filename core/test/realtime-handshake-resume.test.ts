import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFixtureApp } from './helpers.ts';
import { create } from './realtime-fixtures.ts';
import { HandshakeRefused, TestSocket, type Frame } from './socket-client.ts';

/**
 * Resume at the handshake (`/api/ws?token=…&after=<cursor>`): the replay of what followed the cursor comes
 * first, then live events, whatever the client sends or when: a live event can never overtake the replay.
 */
const testApp = await startFixtureApp({ modules: ['dir'] });
t.teardown(() => testApp.close());
const { app } = testApp;

const cursors = (frames: Frame[]) => frames.map((f) => Number(f.cursor));
const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i + 1);
const batch = (admin: Parameters<typeof create>[0], from: number, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => create(admin, 'dir.company', { name: `C ${from + i}` })));

t.test('after=: hello names the cursor, the missed events follow in order, then live ones, each once', async (t) => {
  const admin = await testApp.signup();
  const first = await TestSocket.connect(app, admin.token);
  await create(admin, 'dir.company', { name: 'Seen' });
  const [seen] = await first.take(1);
  first.close();
  const missed = [];
  for (let i = 0; i < 5; i++) missed.push((await create(admin, 'dir.company', { name: `Missed ${i}` })).id);

  const socket = await TestSocket.connect(app, admin.token, String(seen.cursor));
  t.teardown(() => socket.close());
  t.equal(socket.cursor, seen.cursor, "hello's cursor is where the socket stands: the handshake's after");
  t.equal(socket.frames[0].latest, String(Number(seen.cursor) + 5), 'and latest is how far the replay goes');
  t.same((await socket.take(5)).map((f) => f.id), missed);
  const live = await create(admin, 'dir.company', { name: 'Live' });
  const [next] = await socket.take(1);
  t.same([next.id, Number(next.cursor)], [live.id, Number(seen.cursor) + 6]);
});

t.test('a client silent for 200 ms after the upgrade (the late resume of issue 23), writes going on: every event in cursor order, once', async (t) => {
  const admin = await testApp.signup();
  const probe = await TestSocket.connect(app, admin.token);
  const start = probe.cursor;
  probe.close();
  for (let i = 0; i < 520; i += 20) await batch(admin, i, 20); // more than one replay page (500)

  let writing = true;
  const writes = (async () => {
    let n = 0;
    for (; writing; n += 4) await batch(admin, 1000 + n, 4);
    return n;
  })();
  await sleep(50); // writes are on their way when the socket opens
  const socket = await TestSocket.open(app, admin.token, {}, start);
  t.teardown(() => socket.close());
  await sleep(200);
  // Its first frame, late: with after= it has nothing to ask for; it only pings.
  socket.ws.ping();
  await sleep(300);
  writing = false;
  const written = 520 + (await writes);
  const [hello, ...events] = await socket.take(1 + written, 30_000);
  t.same([hello.type, hello.cursor], ['hello', start], 'hello comes first and names the cursor');
  t.ok(events.every((f) => f.type === 'event'), 'then only events');
  t.same(cursors(events), consecutive(Number(start), written), `all ${written} cursors once, in order`);
  await sleep(200);
  t.equal(socket.frames.length, 1 + written, 'and nothing more');
});

t.test('a resume frame sent right after an after= handshake rewinds after the first replay, in order', async (t) => {
  const admin = await testApp.signup();
  const probe = await TestSocket.connect(app, admin.token);
  const start = Number(probe.cursor);
  probe.close();
  await batch(admin, 0, 10);
  const socket = await TestSocket.open(app, admin.token, {}, String(start + 5));
  t.teardown(() => socket.close());
  socket.send({ type: 'resume', after: String(start + 8) });
  const live = await create(admin, 'dir.company', { name: 'Live' });
  const [hello, ...events] = await socket.until(live.id);
  t.equal(hello.type, 'hello');
  // The later resume wins: the first replay may be cut short anywhere, then the second runs, then live.
  const got = cursors(events);
  const cut = got.length - 3;
  t.same(got.slice(0, cut), consecutive(start + 5, cut), `the first replay, in order (${cut} of 5 before the rewind)`);
  t.same(got.slice(cut), [start + 9, start + 10, start + 11], 'the rewind, then live, in order');
});

t.test('after= of another tenant or from before the retention: hello at the live position, then resync_required', async (t) => {
  const admin = await testApp.signup();
  await create(admin, 'dir.company', { name: 'One' });
  const probe = await TestSocket.connect(app, admin.token);
  probe.close();
  const socket = await TestSocket.open(app, admin.token, {}, '999999999');
  t.teardown(() => socket.close());
  const [hello, resync] = await socket.take(2);
  t.same([hello.type, hello.cursor], ['hello', probe.cursor], "hello names where the socket stands: the tenant's latest");
  t.same(resync, { type: 'resync_required' });
  const live = await create(admin, 'dir.company', { name: 'Live' });
  t.equal((await socket.take(1))[0].id, live.id, 'then live');
});

t.test('a malformed after is refused at the handshake with a 400 naming it', async (t) => {
  const admin = await testApp.signup();
  for (const bad of ['', 'abc', '-1', '1.5', '1234567890123456']) {
    const refused = await TestSocket.open(app, admin.token, {}, bad).then(() => undefined, (error: unknown) => error);
    t.ok(refused instanceof HandshakeRefused, `after=${JSON.stringify(bad)} refused`);
    const { status, body } = refused as HandshakeRefused;
    t.equal(status, 400);
    t.match(JSON.parse(body), { error: { code: 'validation_failed', details: [{ field: 'after', rule: 'cursor' }] } });
  }
});
