import t, { type Test } from 'tap';
import { recordScope } from '../src/engine/platform.ts';
import { RecordService } from '../src/engine/records/record-service.ts';
import type { SignedIn } from '../src/platform/testing/index.ts';
import { startFixtureApp } from './helpers.ts';
import { create, newStage } from './realtime-fixtures.ts';
import { TestSocket, type Frame } from './socket-client.ts';

const testApp = await startFixtureApp();
t.teardown(() => testApp.close());
const { app } = testApp;

const connect = async (t: Test, user: SignedIn) => {
  const socket = await TestSocket.connect(app, user.token);
  t.teardown(() => socket.close());
  return socket;
};
/** Records' frames: the administration's own events (core.user, core.module…) also reach sockets that may read them. */
const records = (frames: Frame[]) => frames.filter((f) => !(f.type === 'event' && String(f.model).startsWith('core.')));
const ids = (frames: Frame[]) => records(frames).map((f) => f.id);

t.test('events of one tenant never reach another', async (t) => {
  const a = await testApp.signup('Tenant A');
  const b = await testApp.signup('Tenant B');
  const [socketA, socketB] = [await connect(t, a), await connect(t, b)];
  const written = [];
  for (let i = 0; i < 5; i++) written.push((await create(a, 'dir.company', { name: `A ${i}` })).id);
  const barrier = await create(b, 'dir.company', { name: 'B barrier' });
  t.same(ids(await socketB.until(barrier.id)), [barrier.id], 'B sees only its own write');
  t.same(ids(await socketA.takeEvents(5)), written, 'A sees its five writes');

  socketB.send({ type: 'resume', after: String(Number(socketA.cursor) + 5) });
  t.same(await socketB.next(), { type: 'resync_required' }, "a cursor beyond B's log (A's) is not B's");
});

t.test('a record rule that hides a record means no event for it, in whatever way it changes', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const role = await admin.request({
    method: 'POST',
    url: '/api/admin/roles',
    payload: { name: 'own_deals', permissions: { 'sales.deal': { read: { owner: '$user' } }, 'sales.stage': { read: true } } },
  });
  t.equal(role.statusCode, 201);
  const user = await testApp.addUser(admin, ['own_deals']);
  const socket = await connect(t, user);

  const hidden = await create(admin, 'sales.deal', { name: 'Not yours', stage });
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${hidden.id}`, payload: { name: 'Still not yours' } });
  await admin.request({ method: 'DELETE', url: `/api/records/sales.deal/${hidden.id}` });
  const mine = await create(admin, 'sales.deal', { name: 'Yours', stage, owner: user.user.id });
  await admin.request({ method: 'DELETE', url: `/api/records/sales.deal/${mine.id}` });
  // The owner is also notified of the deal given to them: events only here.
  const frames = await socket.takeEvents(2);
  t.same(
    frames.map((f) => [f.op, f.id]),
    [
      ['created', mine.id],
      ['deleted', mine.id],
    ],
    'only the own deal, its deletion judged on its last snapshot',
  );
  t.notOk(JSON.stringify(socket.frames).includes(hidden.id), 'the hidden id never appears');
});

t.test(
  'an update that takes a record out of the read rules reaches the user as a deletion; one that brings it in, as an update',
  async (t) => {
    const admin = await testApp.signup();
    const stage = await newStage(admin);
    await admin.request({
      method: 'POST',
      url: '/api/admin/roles',
      payload: { name: 'own_deals', permissions: { 'sales.deal': { read: { owner: '$user' } } } },
    });
    const [ann, bob] = [await testApp.addUser(admin, ['own_deals']), await testApp.addUser(admin, ['own_deals'])];
    const [annSocket, bobSocket] = [await connect(t, ann), await connect(t, bob)];
    const deal = await create(admin, 'sales.deal', { name: 'Handed over', stage, owner: ann.user.id });
    const reassign = await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { owner: bob.user.id } });
    t.equal(reassign.statusCode, 200);

    t.same(
      (await annSocket.takeEvents(2)).map((f) => [f.op, f.id, f.version, 'record' in f]),
      [
        ['created', deal.id, 1, true],
        ['deleted', deal.id, 2, false],
      ],
      "Ann's views drop it, with nothing of its new state",
    );
    const [arrived] = await bobSocket.takeEvents(1);
    t.same(
      [arrived.op, arrived.id, (arrived.record as { owner: { id: string } }).owner.id],
      ['updated', deal.id, bob.user.id],
      'Bob gets it when it becomes his',
    );
    t.equal((await ann.request({ method: 'GET', url: `/api/records/sales.deal/${deal.id}` })).statusCode, 404, 'as REST says');
  },
);

t.test('a field the user may not read is never in an event', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const user = await testApp.addUser(admin, ['user']);
  const [adminSocket, userSocket] = [await connect(t, admin), await connect(t, user)];
  const deal = await create(admin, 'sales.deal', { name: 'Masked', stage, secret: 'classified' });
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { secret: 'top classified' } });

  const [created, updated] = await userSocket.takeEvents(2);
  t.equal((created.record as Record<string, unknown>).name, 'Masked');
  t.notOk('secret' in (created.record as object) || 'secret' in (updated.record as object), 'no secret key');
  t.equal(updated.version, 2, 'a change of the hidden field still moves the version');
  t.notOk(JSON.stringify(userSocket.frames).includes('classified'), 'nor its value anywhere');
  const [forAdmin] = await adminSocket.takeEvents(1);
  t.equal((forAdmin.record as Record<string, unknown>).secret, 'classified', 'an admin reads it');
});

t.test('open sockets judge with the new ability when roles or permissions change', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const role = (
    await admin.request({
      method: 'POST',
      url: '/api/admin/roles',
      payload: { name: 'own_deals', permissions: { 'sales.deal': { read: { owner: '$user' } } } },
    })
  ).json();
  const user = await testApp.addUser(admin, ['own_deals']);
  const socket = await connect(t, user);

  const before = await create(admin, 'sales.deal', { name: 'Before', stage });
  await admin.request({
    method: 'PATCH',
    url: `/api/admin/roles/${role.id}`,
    payload: { permissions: { 'sales.deal': { read: true, fields: { read: ['name'] } } } },
  });
  const widened = await create(admin, 'sales.deal', { name: 'After', stage, secret: 'x' });
  const [event] = await socket.takeEvents(1);
  t.equal(event.id, widened.id, 'a deal hidden before the role changed stays unsent; the next one arrives');
  t.notOk(JSON.stringify(socket.frames).includes(before.id));
  t.same(
    Object.keys(event.record as object).filter(
      (k) => !['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by'].includes(k),
    ),
    ['name'],
    'masked by the new field list',
  );

  await admin.request({ method: 'PATCH', url: `/api/admin/users/${user.user.id}`, payload: { roles: ['manager'] } });
  const asManagerDeal = await create(admin, 'sales.deal', { name: 'As manager', stage, secret: 'visible now' });
  const asManager = (await socket.until(asManagerDeal.id)).at(-1)!;
  t.equal((asManager.record as Record<string, unknown>).secret, 'visible now', "the user's new role applies to the open socket");
});

t.test('turning a module off sends modules and stops its events; turning it on sends modules again', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const socket = await connect(t, admin);
  const toggle = async (enabled: boolean) => {
    const response = await admin.request({ method: 'PUT', url: '/api/admin/modules/sales', payload: { enabled } });
    t.equal(response.statusCode, 200);
  };
  // The core writing inside the tenant as if sales were on (as a node that has not heard of the change yet would).
  const tenant = (await admin.request({ method: 'GET', url: '/api/me' })).json().tenant;
  const staleWriter = new RecordService(recordScope(app.platform, { tenant, schema: app.platform.schemas.for(['dir', 'sales']) }));

  const deal = await create(admin, 'sales.deal', { name: 'Before', stage });
  t.same(ids(await socket.takeEvents(1)), [deal.id]);
  const nextModules = async () => (await socket.take(2)).find((f) => f.type === 'modules');
  await toggle(false);
  t.same(await nextModules(), { type: 'modules', enabled: ['dir'] }, "with the switch's own core.module event");
  await t.rejects(
    staleWriter.write.create('sales.deal', { name: 'While off', stage }),
    { code: 'module_disabled' },
    'a write of the module is refused, even on a session that has not heard of the change',
  );
  const barrier = await create(admin, 'dir.company', { name: 'Barrier' });
  t.same(ids(await socket.until(barrier.id)), [barrier.id], 'no event of the disabled module');

  await toggle(true);
  t.same(await nextModules(), { type: 'modules', enabled: ['dir', 'sales'] });
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { name: 'Back on' } });
  t.same(ids(await socket.takeEvents(1)), [deal.id]);
});

t.test('each event is checked, masked and serialized once per distinct ability, not per socket', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const managers = [
    await testApp.addUser(admin, ['manager']),
    await testApp.addUser(admin, ['manager']),
    await testApp.addUser(admin, ['manager']),
  ];
  // `user` has an update rule on `$user`: what each may write is their own, what they read is not.
  const users = [await testApp.addUser(admin, ['user']), await testApp.addUser(admin, ['user'])];
  const sockets = [];
  for (const who of [admin, ...managers, ...users]) sockets.push(await connect(t, who));
  const built = app.realtime.hub.stats.framesBuilt;
  await create(admin, 'sales.deal', { name: 'Shared', stage });
  const frames = await Promise.all(sockets.map(async (s) => (await s.takeEvents(1))[0]));
  t.equal(app.realtime.hub.stats.framesBuilt - built, 3, 'admin, manager and user: three frames for six sockets');
  t.same(frames[1], frames[2]);
  t.same(frames[2], frames[3]);
  t.same(frames[4], frames[5]);
});
