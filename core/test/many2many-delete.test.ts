import t from 'tap';
import { startTestApp, type SignedIn } from '../src/platform/testing/index.ts';
import { call, FIXTURE_MODULES } from './helpers.ts';

const app = await startTestApp({ modules: ['pins'], modulesDir: FIXTURE_MODULES });
t.teardown(() => app.close());
const admin = await app.signup();
const ann = await app.addUser(admin, ['user'], 'Ann');
const bob = await app.addUser(admin, ['user'], 'Bob');

const pin = async (name: string): Promise<string> => (await call(ann, 'POST', '/api/records/pins.pin', { name })).body.id;
const board = async (who: SignedIn, body: object) => {
  const created = await call(who, 'POST', '/api/records/pins.board', body);
  if (created.status !== 201) throw new Error(`${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
};
const read = async (id: string) => (await call(admin, 'GET', `/api/records/pins.board/${id}`)).body;
const ids = (links: { id: string }[]) => links.map((l) => l.id);
const history = async (id: string) => (await call(admin, 'GET', `/api/records/pins.board/${id}/history`)).body.data;

t.test(
  'ondelete "remove": every holder loses the record through the write path (new version, event, history), even holders the deleter cannot see',
  async (t) => {
    const [p, q] = [await pin('P'), await pin('Q')];
    const mine = await board(ann, { name: 'Mine', pins: [p, q] });
    const bobs = await board(bob, { name: 'Bob’s', pins: [p] });
    t.equal((await call(ann, 'GET', `/api/records/pins.board/${bobs}`)).status, 404, 'Ann cannot see Bob’s board');

    const deleted = await call(ann, 'DELETE', `/api/records/pins.pin/${p}`);
    t.equal(deleted.status, 204);
    t.equal((await call(ann, 'GET', `/api/records/pins.pin/${p}`)).status, 404);
    t.match(await read(mine), { version: 2 });
    t.same(ids((await read(mine)).pins), [q]);
    t.match(await read(bobs), { version: 2, pins: [] });
    const entry = (await history(bobs)).at(-1);
    t.match(
      entry,
      { op: 'updated', actor: { id: ann.user.id }, changes: { pins: [] } },
      'the change is in the holder’s history, by whoever deleted',
    );
  },
);

t.test('a holder that may not change (locked) refuses the delete: 409 naming it and why, and nothing changes', async (t) => {
  const r = await pin('R');
  const open = await board(ann, { name: 'Open', pins: [r] });
  const locked = await board(bob, { name: 'Frozen', pins: [r], locked: true });
  const answer = await call(ann, 'DELETE', `/api/records/pins.pin/${r}`);
  t.equal(answer.status, 409);
  t.equal(answer.body.error.message, 'This pin cannot be deleted: the board "Frozen" holds it and cannot change. This board is locked');
  t.same(answer.body.error.details, { holder: { model: 'pins.board', id: locked } });
  t.match(await read(locked), { version: 1, pins: [{ id: r }] });
  t.match(await read(open), { version: 1, pins: [{ id: r }] }, 'the holders updated before it are rolled back');
  t.equal((await history(open)).length, 1, 'no event');
  t.equal((await call(ann, 'GET', `/api/records/pins.pin/${r}`)).status, 200, 'the pin is still there');

  t.equal((await call(bob, 'PATCH', `/api/records/pins.board/${locked}`, { locked: false })).status, 200);
  t.equal((await call(ann, 'DELETE', `/api/records/pins.pin/${r}`)).status, 204, 'unlocked, it lets go');
});

t.test('ondelete "restrict" (the default): 409 while any record holds it, its holders untouched', async (t) => {
  const s = await pin('S');
  const keeper = await board(bob, { name: 'Keeper', kept: [s] });
  const answer = await call(ann, 'DELETE', `/api/records/pins.pin/${s}`);
  t.equal(answer.status, 409);
  t.equal(answer.body.error.message, 'This record is still referenced by pins.board records');
  t.match(await read(keeper), { version: 1, kept: [{ id: s }] });
  t.equal((await call(bob, 'PATCH', `/api/records/pins.board/${keeper}`, { kept: [] })).status, 200);
  t.equal((await call(ann, 'DELETE', `/api/records/pins.pin/${s}`)).status, 204, 'released, it can go');
});

t.test('a record linked while its delete is on its way is never silently unlinked', async (t) => {
  // Each round: one delete and one link of the same pin at once. Either the link fails (the pin is gone)
  // or it wins and the board holds the pin, or the delete took it out through the write path.
  for (let i = 0; i < 6; i++) {
    const u = await pin(`U${i}`);
    const holder = await board(ann, { name: `Race ${i}`, kept: [] });
    const [deleted, linked] = await Promise.all([
      call(ann, 'DELETE', `/api/records/pins.pin/${u}`),
      call(ann, 'PATCH', `/api/records/pins.board/${holder}`, { kept: [u] }),
    ]);
    const after = await read(holder);
    if (deleted.status === 204) {
      t.not(linked.status, 200, 'the link did not succeed on a pin that is gone');
      t.same(after.kept, []);
    } else {
      t.equal(deleted.status, 409, 'the delete was refused: the pin is held');
      t.equal(linked.status, 200);
      t.same(ids(after.kept), [u]);
    }
  }
});
