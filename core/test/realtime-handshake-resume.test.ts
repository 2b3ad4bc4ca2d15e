import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFixtureApp } from './helpers.ts';
import { create } from './realtime-fixtures.ts';
import { TestSocket, type Frame } from './socket-client.ts';

/**
 * Resume at the handshake (`/api/ws?token=…&after=<cursor>`): the replay of what followed the cursor comes
 * first, then hello (where the socket stands), then live events, whatever the client sends or when: a live
 * event can never overtake the replay.
 */
const testApp = await startFixtureApp({ modules: ['dir'] });
t.teardown(() => testApp.close());
const { app } = testApp;

const cursors = (frames: Frame[]) => frames.map((f) => Number(f.cursor));
const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i + 1);
const batch = (admin: Parameters<typeof create>[0], from: number, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => create(admin, 'dir.company', { name: `C ${from + i}` })));

t.test('after=: the missed events in order, then hello where the socket stands, then live ones, each once', async (t) => {
  const admin = await testApp.signup();
  const first = await TestSocket.connect(app, admin.token);
  await create(admin, 'dir.company', { name: 'Seen' });
  const [seen] = await first.take(1);
  first.close();
  const missed = [];
  for (let i = 0; i < 5; i++) missed.push((await create(admin, 'dir.company', { name: `Missed ${i}` })).id);

  const socket = await TestSocket.open(app, admin.token, {}, String(seen.cursor));
  t.teardown(() => socket.close());
  const frames = await socket.take(6);
  t.same(
    frames.slice(0, 5).map((f) => f.id),
    missed,
    'the replay first',
  );
  t.same(frames[5], { type: 'hello', cursor: String(Number(seen.cursor) + 5) }, 'then hello, at the last event replayed');
  const live = await create(admin, 'dir.company', { name: 'Live' });
  const [next] = await socket.take(1);
  t.same([next.id, Number(next.cursor)], [live.id, Number(seen.cursor) + 6]);
});

t.test(
  'a client silent for 200 ms after the upgrade (the late resume of issue 23), writes going on: every event in cursor order, once',
  async (t) => {
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
    const frames = await socket.take(1 + written, 30_000);
    const events = frames.filter((f) => f.type === 'event');
    t.same(cursors(events), consecutive(Number(start), written), `all ${written} cursors once, in order`);
    const hello = frames.findIndex((f) => f.type === 'hello');
    t.ok(hello >= 520, `hello once the replay had caught up (after ${hello} events), live ones after it`);
    t.equal(frames.length, 1 + events.length, 'nothing but events and one hello');
    await sleep(200);
    t.equal(socket.frames.length, 1 + written, 'and nothing more');
  },
);

t.test(
  'a resume frame sent right after an after= handshake rewinds it: the rest of the first replay, then the rewind, in order',
  async (t) => {
    const admin = await testApp.signup();
    const probe = await TestSocket.connect(app, admin.token);
    const start = Number(probe.cursor);
    probe.close();
    await batch(admin, 0, 10);
    const socket = await TestSocket.open(app, admin.token, {}, String(start + 5));
    t.teardown(() => socket.close());
    socket.send({ type: 'resume', after: String(start + 8) });
    // The resume may cut the first replay short anywhere, or (when that replay was quicker) come after it and
    // its hello: either way the rewind follows what was sent, in order, and live events only after both.
    const frames: Frame[] = [];
    while (!frames.some((f) => f.type === 'hello')) frames.push(await socket.next());
    await create(admin, 'dir.company', { name: 'Live' });
    while (frames.at(-1)?.cursor !== String(start + 11)) frames.push(await socket.next());
    const hellos = frames.filter((f) => f.type === 'hello');
    t.same(hellos, [{ type: 'hello', cursor: String(start + 10) }], 'one hello, where the replays end');
    const got = cursors(frames.filter((f) => f.type === 'event'));
    const first = got.slice(0, -3);
    t.same(first, consecutive(start + 5, first.length), `the first replay, in order (${first.length} of 5 before the rewind)`);
    t.same(got.slice(-3), [start + 9, start + 10, start + 11], 'then the rewind, in order, then the live event');
    await sleep(200);
    t.equal(socket.frames.length, frames.length, 'and nothing more');
  },
);

t.test('after= of another tenant or from before the retention: resync_required, then hello at the live position', async (t) => {
  const admin = await testApp.signup();
  await create(admin, 'dir.company', { name: 'One' });
  const probe = await TestSocket.connect(app, admin.token);
  probe.close();
  const socket = await TestSocket.open(app, admin.token, {}, '999999999');
  t.teardown(() => socket.close());
  t.same(await socket.take(2), [{ type: 'resync_required' }, { type: 'hello', cursor: probe.cursor }]);
  const live = await create(admin, 'dir.company', { name: 'Live' });
  t.equal((await socket.take(1))[0].id, live.id, 'then live');
});

t.test('a malformed after is answered bad_cursor, as a resume would be; the socket goes on live from now', async (t) => {
  const admin = await testApp.signup();
  const probe = await TestSocket.connect(app, admin.token);
  probe.close();
  for (const bad of ['', 'abc', '-1', '1.5', '1234567890123456']) {
    const socket = await TestSocket.open(app, admin.token, {}, bad);
    const [error, hello] = await socket.take(2);
    t.match(error, { type: 'error', code: 'bad_cursor' }, `after=${JSON.stringify(bad)}`);
    t.same(hello, { type: 'hello', cursor: probe.cursor });
    socket.close();
  }
});
