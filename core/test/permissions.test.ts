import t from 'tap';
import { unpackRules } from '@casl/ability/extra';
import { call, q, startFixtureApp } from './helpers.ts';
import type { SignedIn } from '../src/platform/testing/index.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Permissions');
const manager = await app.addUser(admin, ['manager'], 'Manager');
const alice = await app.addUser(admin, ['user'], 'Alice');
const bob = await app.addUser(admin, ['user'], 'Bob');
const stage = (await call(admin, 'POST', '/api/records/sales.stage', { name: 'New' })).body.id;
const dealOf = async (who: SignedIn, name: string) =>
  (await call(who, 'POST', '/api/records/sales.deal', { name, stage, amount: '10.00' })).body;
const alices = await dealOf(alice, 'Alice deal');
const bobs = await dealOf(bob, 'Bob deal');
const admins = (await call(admin, 'POST', '/api/records/sales.deal', { name: 'Admin deal', stage, amount: '10.00', secret: 'margin 40%' }))
  .body;

t.test('each default role × read / list / groups / create / update / delete / action', async (t) => {
  // [role, user, may update/close others' deals, may delete, sees `secret`]
  const roles: [string, SignedIn, boolean, boolean, boolean][] = [
    ['admin', admin, true, true, true],
    ['manager', manager, true, true, true],
    ['user', alice, false, false, false],
  ];
  for (const [role, who, others, remove, secret] of roles) {
    const get = await call(who, 'GET', `/api/records/sales.deal/${admins.id}`);
    t.equal(get.status, 200, `${role}: read`);
    t.equal('secret' in get.body, secret, `${role}: secret field ${secret ? 'returned' : 'masked'}`);
    if (secret) t.equal(get.body.secret, 'margin 40%');
    const list = await call(who, 'GET', '/api/records/sales.deal');
    t.equal(list.body.total, 3, `${role}: list total`);
    t.equal(
      list.body.data.some((d: object) => 'secret' in d),
      secret,
      `${role}: list masks the field`,
    );
    const groups = await call(who, 'GET', '/api/records/sales.deal/groups?by=stage&sum=amount');
    t.same(
      groups.body.data.map((g: { count: number; sum: string }) => [g.count, g.sum]),
      [[3, '30.00']],
      `${role}: groups`,
    );
    const created = await call(who, 'POST', '/api/records/sales.deal', { name: `${role} new`, stage });
    t.equal(created.status, 201, `${role}: create`);
    t.equal((await call(who, 'PATCH', `/api/records/sales.deal/${created.body.id}`, { name: 'mine' })).status, 200, `${role}: update own`);
    t.equal(
      (await call(who, 'PATCH', `/api/records/sales.deal/${bobs.id}`, { probability: 5 })).status,
      others ? 200 : 403,
      `${role}: update another's`,
    );
    t.equal((await call(who, 'POST', `/api/records/sales.deal/${created.body.id}/actions/close`)).status, 200, `${role}: action on own`);
    const closeOthers = await call(who, 'POST', `/api/records/sales.deal/${bobs.id}/actions/close`);
    t.equal(closeOthers.status, role === 'user' ? 403 : 200, `${role}: action on another's`);
    if (role !== 'user') await call(who, 'PATCH', `/api/records/sales.deal/${bobs.id}`, { done: false });
    t.equal((await call(who, 'DELETE', `/api/records/sales.deal/${created.body.id}`)).status, remove ? 204 : 403, `${role}: delete`);
    if (!remove) await call(admin, 'DELETE', `/api/records/sales.deal/${created.body.id}`);
  }
});

t.test('a user may not write forbidden fields, nor hand a record outside their rule', async (t) => {
  const secret = await call(alice, 'POST', '/api/records/sales.deal', { name: 'x', stage, secret: 'peek' });
  t.equal(secret.status, 400);
  t.match(secret.body.error.details, [{ field: 'secret', rule: 'forbidden' }]);
  const giveAway = await call(alice, 'PATCH', `/api/records/sales.deal/${alices.id}`, { owner: bob.user.id });
  t.equal(giveAway.status, 403, 'after the change the record would no longer be hers to update');
  t.equal((await call(alice, 'GET', `/api/records/sales.deal/${alices.id}`)).body.owner.id, alice.user.id, 'and nothing changed');
  const stageWrite = await call(alice, 'POST', '/api/records/sales.stage', { name: 'Mine' });
  t.equal(stageWrite.status, 403, 'no create permission on the model');
});

t.test('a field a user may not read cannot be used to filter, sort, group or select', async (t) => {
  for (const query of [
    `filter=${q({ secret: 'margin 40%' })}`,
    `filter=${q({ $or: [{ name: 'x' }, { secret: { $ilike: 'm%' } }] })}`,
    'sort=secret',
    'fields=name,secret',
  ]) {
    const r = await call(alice, 'GET', `/api/records/sales.deal?${query}`);
    t.equal(r.status, 400, query);
    t.notMatch(JSON.stringify(r.body), 'margin', 'the error reveals no value');
  }
  t.equal((await call(alice, 'GET', '/api/records/sales.deal/groups?by=secret')).status, 400);
  t.equal((await call(manager, 'GET', `/api/records/sales.deal?filter=${q({ secret: 'margin 40%' })}`)).body.total, 1, 'a manager may');
});

t.test('a role created through the admin API takes effect on the next request, without a restart', async (t) => {
  const role = await call(admin, 'POST', '/api/admin/roles', {
    name: 'viewer',
    permissions: {
      'sales.deal': { read: { owner: '$user' }, fields: { read: ['name', 'amount', 'owner'] } },
      'sales.stage': { read: true },
    },
  });
  t.equal(role.status, 201);
  const viewer = await app.addUser(admin, ['viewer'], 'Viewer');
  const own = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Viewer deal', stage, amount: '7.00', owner: viewer.user.id });
  t.equal(own.status, 201);
  const list = await call(viewer, 'GET', '/api/records/sales.deal');
  t.equal(list.body.total, 1, 'the record rule is a WHERE clause: totals count only what the user may read');
  t.same(
    Object.keys(list.body.data[0])
      .filter((k) => !['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by'].includes(k))
      .sort(),
    ['amount', 'name', 'owner'],
  );
  t.equal((await call(viewer, 'GET', `/api/records/sales.deal/${alices.id}`)).status, 404, 'a record the rule hides is a 404, not a 403');
  t.same(
    (await call(viewer, 'GET', '/api/records/sales.deal/groups?by=owner&sum=amount')).body.data.map((g: { count: number }) => g.count),
    [1],
  );
  t.equal((await call(viewer, 'PATCH', `/api/records/sales.deal/${own.body.id}`, { name: 'x' })).status, 403);
  t.equal((await call(viewer, 'GET', '/api/records/dir.company')).status, 403, 'no rule at all on a model: forbidden');

  const widened = await call(admin, 'PATCH', `/api/admin/roles/${role.body.id}`, {
    permissions: { 'sales.deal': { read: true, update: { owner: '$user' } }, 'sales.stage': { read: true } },
  });
  t.equal(widened.status, 200);
  t.equal((await call(viewer, 'GET', '/api/records/sales.deal')).body.total, 4, 'widened at the next request');
  t.equal((await call(viewer, 'PATCH', `/api/records/sales.deal/${own.body.id}`, { name: 'renamed' })).status, 200);

  const bad = await call(admin, 'POST', '/api/admin/roles', {
    name: 'broken',
    permissions: { 'sales.deal': { read: { nope: 1 }, fly: true }, 'x.y': { read: true } },
  });
  t.equal(bad.status, 400);
  t.same(bad.body.error.details.map((d: { field: string }) => d.field).sort(), [
    'permissions.sales.deal.fly',
    'permissions.sales.deal.read',
    'permissions.x.y',
  ]);
  t.equal(
    (
      await call(
        admin,
        'PATCH',
        `/api/admin/roles/${(await call(admin, 'GET', '/api/admin/roles')).body.data.find((r: { name: string }) => r.name === 'user').id}`,
        { permissions: {} },
      )
    ).status,
    409,
    'builtin roles come from the manifests',
  );
});

const logInStatus = async (who: SignedIn) =>
  (
    await app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: who.user.email, password: 'correct horse battery' },
    })
  ).statusCode;

t.test('deactivated users are refused at once; the last active admin stays', async (t) => {
  const temp = await app.addUser(admin, ['user'], 'Temp');
  t.equal((await call(temp, 'GET', '/api/me')).status, 200);
  const off = await call(admin, 'PATCH', `/api/admin/users/${temp.user.id}`, { active: false });
  t.equal(off.status, 200);
  t.equal(off.body.active, false);
  t.equal((await call(temp, 'GET', '/api/records/sales.deal')).status, 401, 'the existing token stops working');
  t.equal(await logInStatus(temp), 401);
  const on = await call(admin, 'PATCH', `/api/admin/users/${temp.user.id}`, { active: true });
  t.equal(on.body.active, true);
  t.equal((await call(temp, 'GET', '/api/me')).status, 401, 'reactivation brings no token from before the deactivation back');
  t.equal(await logInStatus(temp), 200, 'a new login works');
  t.equal(
    (await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { active: false })).status,
    409,
    'cannot deactivate the last admin',
  );
  t.equal(
    (await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { roles: ['user'] })).status,
    409,
    'cannot demote the last admin',
  );
  await call(admin, 'PATCH', `/api/admin/users/${manager.user.id}`, { roles: ['admin'] });
  t.equal((await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { roles: ['manager'] })).status, 200, 'with another admin, yes');
  t.equal((await call(admin, 'GET', '/api/admin/users')).status, 403, 'and the demoted admin lost the admin API');
  t.equal((await call(manager, 'PATCH', `/api/admin/users/${admin.user.id}`, { roles: ['admin'] })).status, 200);
});

t.test('non-admins get 403 on /api/admin/*; admins manage users', async (t) => {
  for (const url of ['/api/admin/users', '/api/admin/roles']) t.equal((await call(alice, 'GET', url)).status, 403, url);
  t.equal(
    (await call(alice, 'POST', '/api/admin/users', { name: 'x', email: 'x@example.com', password: 'long enough', roles: ['admin'] }))
      .status,
    403,
  );
  const blank = await call(admin, 'POST', '/api/admin/users', {
    name: '  ',
    email: 'blank@example.com',
    password: 'long enough',
    roles: ['user'],
  });
  t.equal(blank.status, 400, 'a blank name is refused');
  t.match(blank.body.error.details, [{ field: 'name' }]);
  const users = await call(admin, 'GET', '/api/admin/users');
  t.ok(users.body.data.some((u: { name: string; roles: string[] }) => u.name === 'Alice' && u.roles.join() === 'user'));
  const unknownRole = await call(admin, 'POST', '/api/admin/users', {
    name: 'x',
    email: 'x@example.com',
    password: 'long enough',
    roles: ['wizard'],
  });
  t.equal(unknownRole.status, 400);
  t.match(unknownRole.body.error.details, [{ field: 'roles', message: 'unknown role "wizard"' }]);
  t.equal(
    (await call(admin, 'POST', '/api/admin/users', { name: 'A', email: alice.user.email, password: 'long enough', roles: ['user'] }))
      .status,
    409,
    'one email per tenant',
  );
});

t.test('GET /api/me returns the packed CASL rules the shell uses', async (t) => {
  const { body } = await call(alice, 'GET', '/api/me');
  const rules = unpackRules(body.abilities);
  t.ok(
    rules.some(
      (r) =>
        [r.action].flat().includes('update') &&
        [r.subject].flat().includes('sales.deal') &&
        JSON.stringify(r.conditions) === JSON.stringify({ owner: alice.user.id }),
    ),
    'the record rule, with $user bound',
  );
  t.ok(
    rules.some(
      (r) =>
        [r.action].flat().includes('read') &&
        [r.subject].flat().includes('sales.deal') &&
        Array.isArray(r.fields) &&
        !r.fields.includes('secret'),
    ),
    'field rules',
  );
  const meta = await call(alice, 'GET', '/api/meta');
  t.notOk('secret' in meta.body.models['sales.deal'].fields, '/api/meta hides what the user may not read');
  t.equal(meta.body.models['sales.stage'].fields.name.readonly, true, 'and marks what they may read but not write');
  t.same(meta.body.models['sales.deal'].can, { create: true, update: true, delete: false });
});

t.test("a record whose every field a role reads still has its lines masked as the lines' model says", async (t) => {
  const deal = await call(admin, 'POST', '/api/records/sales.deal', {
    name: 'Lined deal',
    stage,
    amount: '10.00',
    lines: [{ description: 'Chairs', qty: 4, price: '25.00' }],
  });
  t.equal(deal.status, 201);
  // The deal's relations show their names: nothing of the deal itself is hidden, only its lines may be.
  const relationDisplays = { 'sales.stage': { read: true }, 'dir.company': { read: true }, 'dir.tag': { read: true } };
  const roles = await call(admin, 'POST', '/api/admin/roles', {
    name: 'line_reader',
    permissions: {
      ...relationDisplays,
      'sales.deal': { read: true },
      'sales.line': { read: true, fields: { read: ['deal', 'description'] } },
    },
  });
  t.equal(roles.status, 201);
  const noLines = await call(admin, 'POST', '/api/admin/roles', {
    name: 'deal_only',
    permissions: { ...relationDisplays, 'sales.deal': { read: true } },
  });
  t.equal(noLines.status, 201);
  const reader = await app.addUser(admin, ['line_reader'], 'Line reader');
  const dealOnly = await app.addUser(admin, ['deal_only'], 'Deal only');

  const read = (await call(reader, 'GET', `/api/records/sales.deal/${deal.body.id}`)).body;
  t.ok('secret' in read, 'the deal goes out whole');
  t.equal(read.lines.length, 1);
  t.equal(read.lines[0].description, 'Chairs');
  t.notOk('qty' in read.lines[0] || 'price' in read.lines[0], "the line's hidden fields are masked");
  t.same(
    (await call(dealOnly, 'GET', `/api/records/sales.deal/${deal.body.id}`)).body.lines,
    [],
    'lines of an unreadable model are dropped',
  );
  const admins = (await call(admin, 'GET', `/api/records/sales.deal/${deal.body.id}`)).body;
  t.equal(admins.lines[0].qty, 4, "another viewer's copy is not the masked one");
});
