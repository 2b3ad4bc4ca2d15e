import t from 'tap';
import { startFixtureApp } from './helpers.ts';
import { create, waitFor } from './realtime-fixtures.ts';
import { TestSocket } from './socket-client.ts';

/** What one client may not do to a node: flood it with frames, or hold more sockets than the cap. */
const testApp = await startFixtureApp({ modules: ['dir'], events: { maxSocketsPerUser: 3 } });
t.teardown(() => testApp.close());
const { app } = testApp;

t.test('a flood is answered once with rate_limited, then the socket is closed with 4429', async (t) => {
  const admin = await testApp.signup();
  const socket = await TestSocket.connect(app, admin.token);
  // Far more frames than the limit, as fast as the client can send them.
  for (let i = 0; i < 5000 && socket.ws.readyState === socket.ws.OPEN; i++) socket.send({ type: 'resume', after: 'x' });
  const closed = await socket.closed;
  t.same(closed, { code: 4429, reason: 'too many messages' });
  const codes = socket.frames.slice(1).map((f) => f.code);
  t.same(codes, [...Array(20).fill('bad_cursor'), 'rate_limited'], 'twenty answers, one rate_limited, then nothing but the close');
});

t.test('a client just over the limit is answered once and stays open', async (t) => {
  const admin = await testApp.signup();
  const socket = await TestSocket.connect(app, admin.token);
  t.teardown(() => socket.close());
  for (let i = 0; i < 25; i++) socket.send('{}');
  const codes = (await socket.take(21)).map((f) => f.code);
  t.same(codes, [...Array(20).fill('bad_message'), 'rate_limited']);
  const live = await create(admin, 'dir.company', { name: 'Still live' });
  t.equal((await socket.take(1))[0].id, live.id, 'the socket stays open and live');
  t.equal(socket.frames.length, 1 + 21 + 1, 'the four excess frames after the first got no answer');
});

t.test('a user with maxSocketsPerUser sockets open on the node gets the next one closed with 4409', async (t) => {
  const admin = await testApp.signup();
  const other = await testApp.addUser(admin, ['user']);
  const open = await Promise.all([1, 2, 3].map(() => TestSocket.connect(app, admin.token)));
  t.teardown(() => open.forEach((s) => s.close()));
  const refused = await TestSocket.open(app, admin.token);
  t.same(await refused.closed, { code: 4409, reason: 'too many sockets for this user (at most 3)' });
  t.same(refused.frames, [], 'no hello, no events');
  const theirs = await TestSocket.connect(app, other.token);
  t.equal(theirs.frames[0].type, 'hello', 'another user of the tenant is not affected');
  theirs.close();

  open[0].close();
  await open[0].closed;
  await waitFor(() => app.realtime.hub.sockets === 2);
  const again = await TestSocket.connect(app, admin.token);
  t.equal(again.frames[0].type, 'hello', 'a closed socket frees its place');
  again.close();
});
