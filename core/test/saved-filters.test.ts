import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';

/*
 * Favourites (docs/api.md, "Saved filters"): a user sees their own and the ones shared with their tenant,
 * never a colleague's private one nor anything of another tenant; only the owner or an admin deletes a
 * shared one. And a user's column choice of a list, kept per user and view.
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Favourites');
const alice = await app.addUser(admin, ['user'], 'Alice');
const bob = await app.addUser(admin, ['user'], 'Bob');
const outsider = await app.signup('Elsewhere');
const state = { search: 'acme', filters: ['Open'], group_by: ['stage'], sort: '-amount' };

const save = async (who: typeof admin, body: object) => call(who, 'POST', '/api/saved-filters', body);
const names = async (who: typeof admin, view = 'sales.deal_list') =>
  (await call(who, 'GET', `/api/saved-filters?view=${view}`)).body.data.map((f: { name: string }) => f.name);

const alicePrivate = (await save(alice, { view: 'sales.deal_list', name: 'Alice only', state })).body;
const aliceShared = (await save(alice, { view: 'sales.deal_list', name: 'Team pipeline', state, shared: true })).body;
await save(outsider, { view: 'sales.deal_list', name: 'Their favourite', state, shared: true });

t.test('a favourite comes back with its state, its owner and whether it is mine', async (t) => {
  t.match(alicePrivate, {
    view: 'sales.deal_list',
    name: 'Alice only',
    state,
    shared: false,
    mine: true,
    owner: { id: alice.user.id, display: 'Alice' },
  });
  const listed = (await call(alice, 'GET', '/api/saved-filters?view=sales.deal_list')).body.data;
  t.same(
    listed.map((f: { name: string }) => f.name),
    ['Alice only', 'Team pipeline'],
  );
  t.same(listed[0].state, state);
});

t.test('a colleague sees the shared favourite, not the private one; another tenant sees neither', async (t) => {
  t.same(await names(bob), ['Team pipeline']);
  const [shared] = (await call(bob, 'GET', '/api/saved-filters?view=sales.deal_list')).body.data;
  t.equal(shared.mine, false);
  t.same(await names(outsider), ['Their favourite']);
  t.same(await names(alice, 'sales.deal_kanban'), [], 'favourites are per view');
});

t.test('only the owner or an admin deletes a shared favourite; a private one of another is not found', async (t) => {
  t.equal((await call(bob, 'DELETE', `/api/saved-filters/${aliceShared.id}`)).status, 403);
  t.equal((await call(bob, 'DELETE', `/api/saved-filters/${alicePrivate.id}`)).status, 404);
  t.equal((await call(outsider, 'DELETE', `/api/saved-filters/${aliceShared.id}`)).status, 404);
  t.equal((await call(bob, 'DELETE', '/api/saved-filters/not-a-uuid')).status, 404);
  t.same(await names(alice), ['Alice only', 'Team pipeline'], 'nothing was deleted');
  t.equal((await call(admin, 'DELETE', `/api/saved-filters/${aliceShared.id}`)).status, 204, 'an admin may');
  t.equal((await call(alice, 'DELETE', `/api/saved-filters/${alicePrivate.id}`)).status, 204, 'the owner may');
  t.same(await names(alice), []);
});

t.test('bad favourites are 400s naming the field, and nothing is saved', async (t) => {
  const noAccess = await call(admin, 'POST', '/api/admin/roles', { name: 'nothing', permissions: {} });
  t.equal(noAccess.status, 201);
  const stranger = await app.addUser(admin, ['nothing']);
  const cases: [typeof admin, object, string][] = [
    [alice, { view: 'sales.nope', name: 'x', state }, 'view'],
    [stranger, { view: 'sales.deal_list', name: 'x', state }, 'view'],
    [alice, { view: 'sales.deal_list', name: '  ', state }, 'name'],
    [alice, { view: 'sales.deal_list', name: 'x', state: [] }, 'state'],
    [alice, { view: 'sales.deal_list', name: 'x', state: { search: 'y'.repeat(9000) } }, 'state'],
    [alice, { view: 'sales.deal_list', name: 'x', state, owner_id: bob.user.id }, 'owner_id'],
  ];
  for (const [who, body, field] of cases) {
    const answer = await save(who, body);
    t.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
    t.match(JSON.stringify(answer.body.error.details), field);
  }
  t.equal((await call(alice, 'GET', '/api/saved-filters?view=sales.nope')).status, 400);
  t.same(await names(alice), []);
});

t.test('column choice is kept per user and view, limited to readable fields', async (t) => {
  const url = '/api/view-settings/sales.deal_list';
  t.same((await call(alice, 'GET', url)).body, {}, 'nothing chosen yet');
  const put = await call(alice, 'PUT', url, { columns: ['name', 'amount', 'owner'] });
  t.equal(put.status, 200);
  t.same((await call(alice, 'GET', url)).body, { columns: ['name', 'amount', 'owner'] });
  t.same((await call(bob, 'GET', url)).body, {}, "a colleague's choice is not mine");
  await call(alice, 'PUT', url, { columns: ['amount'] });
  t.same((await call(alice, 'GET', url)).body, { columns: ['amount'] }, 'a second choice replaces the first');
  const secret = await call(alice, 'PUT', url, { columns: ['name', 'secret'] });
  t.equal(secret.status, 400, 'a field the user may not read is refused');
  t.match(secret.body.error.details, [{ field: 'columns.1' }]);
  t.equal((await call(alice, 'PUT', '/api/view-settings/sales.nope', { columns: ['name'] })).status, 400);
  t.equal((await call(admin, 'PUT', url, { columns: 'name' })).status, 400);
});
