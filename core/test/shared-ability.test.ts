import t from 'tap';
import { subject } from '@casl/ability';
import { startTestApp, type SignedIn } from '../src/platform/testing/index.ts';
import { buildAbility } from '../src/engine/rbac/abilities.ts';
import { call, FIXTURE_MODULES } from './helpers.ts';
import { TestSocket, type Frame } from './socket-client.ts';

// Users of one role set share one ability (issue 20: memory per socket); `$user` is bound per check. The
// builtin `user` role of the pins fixture reads and updates only the boards it owns: {"owner": "$user"}.
const testApp = await startTestApp({ modules: ['pins'], modulesDir: FIXTURE_MODULES });
t.teardown(() => testApp.close());
const { app } = testApp;
const admin = await testApp.signup();
const ann = await testApp.addUser(admin, ['user'], 'Ann');
const bob = await testApp.addUser(admin, ['user'], 'Bob');

const board = async (who: SignedIn, body: object): Promise<string> => {
  const created = await call(who, 'POST', '/api/records/pins.board', body);
  if (created.status !== 201) throw new Error(`${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
};
const listed = async (who: SignedIn): Promise<string[]> =>
  (await call(who, 'GET', '/api/records/pins.board?limit=100')).body.data.map((r: { id: string }) => r.id).sort();
const boardEvents = (frames: Frame[]) => frames.filter((f) => f.type === 'event' && f.model === 'pins.board').map((f) => [f.op, f.id]);

t.test('two users of the same roles get one ability, each with their own $user', async (t) => {
  const { sessions } = app.platform;
  const [a, b] = await Promise.all([ann, bob].map((u) => sessions.resolve(admin.tenant.id, u.user.id, Date.now())));
  t.equal(a.ability.sharedKey, b.ability.sharedKey, 'one shared ability');
  t.not(a.ability.viewerKey, b.ability.viewerKey, 'answered per user');
  const own = (owner: string) => subject('pins.board', { owner: { id: owner } });
  t.ok(a.ability.can('read', own(ann.user.id)));
  t.notOk(a.ability.can('read', own(bob.user.id)));
  t.ok(b.ability.can('read', own(bob.user.id)));
  t.notOk(b.ability.can('read', own(ann.user.id)));
});

t.test('the shared ability checked with no viewer bound throws instead of answering', async (t) => {
  const session = await app.platform.sessions.resolve(admin.tenant.id, ann.user.id, Date.now());
  const shared = buildAbility(session.schema, session.roles);
  t.throws(() => shared.casl.can('read', subject('pins.board', { owner: { id: ann.user.id } })), /no viewer bound/);
});

t.test('interleaved, each user lists, reads and updates only their own boards', async (t) => {
  const anns = [await board(ann, { name: 'Ann 1' }), await board(ann, { name: 'Ann 2' })];
  const bobs = [await board(bob, { name: 'Bob 1' })];
  for (let round = 0; round < 3; round++) {
    const [annList, bobList, annGetsBob, bobGetsAnn, bobEditsAnn, annEdits] = await Promise.all([
      listed(ann),
      listed(bob),
      call(ann, 'GET', `/api/records/pins.board/${bobs[0]}`),
      call(bob, 'GET', `/api/records/pins.board/${anns[0]}`),
      call(bob, 'PATCH', `/api/records/pins.board/${anns[1]}`, { name: 'Taken' }),
      call(ann, 'PATCH', `/api/records/pins.board/${anns[0]}`, { name: `Ann 1.${round}` }),
    ]);
    t.same(annList, [...anns].sort(), 'Ann lists her boards');
    t.same(bobList, bobs, 'Bob lists his');
    t.equal(annGetsBob.status, 404);
    t.equal(bobGetsAnn.status, 404);
    t.equal(bobEditsAnn.status, 404, "Bob cannot update Ann's board");
    t.equal(annEdits.status, 200, 'Ann updates hers');
  }
  t.equal((await call(admin, 'GET', `/api/records/pins.board/${anns[1]}`)).body.name, 'Ann 2');
});

t.test("each user's socket receives the events of their own boards only", async (t) => {
  const [annSocket, bobSocket] = [await TestSocket.connect(app, ann.token), await TestSocket.connect(app, bob.token)];
  t.teardown(() => [annSocket, bobSocket].forEach((s) => s.close()));
  const forAnn = await board(admin, { name: 'For Ann', owner: ann.user.id });
  const forBob = await board(admin, { name: 'For Bob', owner: bob.user.id });
  await board(admin, { name: 'For nobody' });
  await call(admin, 'PATCH', `/api/records/pins.board/${forAnn}`, { owner: bob.user.id });
  const barrier = (await call(admin, 'POST', '/api/records/pins.pin', { name: 'Barrier' })).body.id as string;
  t.same(
    boardEvents(await annSocket.until(barrier)),
    [
      ['created', forAnn],
      ['deleted', forAnn],
    ],
    'Ann: hers, then gone when handed to Bob',
  );
  t.same(
    boardEvents(await bobSocket.until(barrier)),
    [
      ['created', forBob],
      ['updated', forAnn],
    ],
    "Bob: his, then Ann's once it is his",
  );
});
