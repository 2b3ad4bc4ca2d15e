import t from 'tap';
import { startFixtureApp, call } from './helpers.ts';
import { TestSocket } from './socket-client.ts';
import { framesOf, names, nextOf, salesTeam } from './collaboration-fixtures.ts';

const testApp = await startFixtureApp();
t.teardown(() => testApp.close());

t.test('watchers of a record see each other, who edits which field, and who leaves', async (t) => {
  const { admin, sam, deal } = await salesTeam(testApp);
  const [samSocket, adminSocket] = [await TestSocket.connect(testApp.app, sam.token), await TestSocket.connect(testApp.app, admin.token)];
  t.teardown(() => [samSocket, adminSocket].forEach((s) => s.close()));

  samSocket.send({ type: 'watch', model: 'sales.deal', id: deal });
  t.same(await nextOf(samSocket, 'presence'), {
    type: 'presence',
    model: 'sales.deal',
    id: deal,
    users: [{ id: sam.user.id, name: 'Sam', editing: false }],
  });
  adminSocket.send({ type: 'watch', model: 'sales.deal', id: deal });
  t.same(names(await nextOf(samSocket, 'presence')), ['Admin', 'Sam'], 'Sam sees the admin arrive');
  t.same(names(await nextOf(adminSocket, 'presence')), ['Admin', 'Sam'], 'the admin sees Sam');

  adminSocket.send({ type: 'watch', model: 'sales.deal', id: deal, editing: 'amount' });
  const editing = await nextOf(samSocket, 'presence');
  t.same(
    (editing.users as { id: string }[]).find((u) => u.id === admin.user.id),
    { id: admin.user.id, name: 'Admin', editing: true, field: 'amount' },
    'the admin is editing the amount',
  );
  adminSocket.send({ type: 'watch', model: 'sales.deal', id: deal, editing: null });
  t.match((await nextOf(samSocket, 'presence')).users, [{ editing: false }, { editing: false }], 'and stopped');

  adminSocket.close();
  t.same(names(await nextOf(samSocket, 'presence')), ['Sam'], 'a closed socket leaves at once');
  samSocket.send({ type: 'unwatch' });
  samSocket.send({ type: 'watch', model: 'sales.deal', id: deal });
  t.same(names(await nextOf(samSocket, 'presence')), ['Sam']);
});

t.test('a user who may not read the record cannot watch it, and nobody learns of them', async (t) => {
  const { admin, hidden, deal } = await salesTeam(testApp);
  const stranger = await testApp.signup();
  const sockets = await Promise.all([admin, hidden, stranger].map((u) => TestSocket.connect(testApp.app, u.token)));
  const [adminSocket, hiddenSocket, strangerSocket] = sockets;
  t.teardown(() => sockets.forEach((s) => s.close()));
  adminSocket.send({ type: 'watch', model: 'sales.deal', id: deal });
  await nextOf(adminSocket, 'presence');

  hiddenSocket.send({ type: 'watch', model: 'sales.deal', id: deal });
  t.match(await nextOf(hiddenSocket, 'error'), { code: 'not_found' }, 'a rule hides the record');
  strangerSocket.send({ type: 'watch', model: 'sales.deal', id: deal });
  t.match(await nextOf(strangerSocket, 'error'), { code: 'not_found' }, "another tenant's record");
  // A barrier: a second watcher of the admin's own makes the admin's socket hear presence again.
  const second = await TestSocket.connect(testApp.app, admin.token);
  t.teardown(() => second.close());
  second.send({ type: 'watch', model: 'sales.deal', id: deal });
  t.same(names(await nextOf(adminSocket, 'presence')), ['Admin'], 'the hidden user and the stranger are not there');
  t.same(framesOf(hiddenSocket, 'presence'), [], 'nor did they hear anything');
  t.same(framesOf(strangerSocket, 'presence'), []);
});

t.test('watch frames are checked: model, id and editing field', async (t) => {
  const { admin, deal } = await salesTeam(testApp);
  const socket = await TestSocket.connect(testApp.app, admin.token);
  t.teardown(() => socket.close());
  const cases: [unknown, string][] = [
    [{ type: 'watch' }, 'bad_watch'],
    [{ type: 'watch', model: 'sales.deal', id: 7 }, 'bad_watch'],
    [{ type: 'watch', model: 'sales.deal', id: deal, editing: 3 }, 'bad_watch'],
    [{ type: 'watch', model: 'sales.deal', id: deal, editing: 'no_such_field' }, 'bad_watch'],
    [{ type: 'watch', model: 'sales.nothing', id: deal }, 'not_found'],
    [{ type: 'watch', model: 'sales.deal', id: 'not-a-uuid' }, 'not_found'],
    [{ type: 'watch', model: 'sales.deal', id: '00000000-0000-4000-8000-000000000000' }, 'not_found'],
  ];
  for (const [frame, code] of cases) {
    socket.send(frame);
    t.match(await nextOf(socket, 'error'), { code }, JSON.stringify(frame));
  }
  t.equal((await call(admin, 'GET', '/api/notifications')).status, 200, 'the socket and the server are fine');
});
