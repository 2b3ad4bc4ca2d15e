import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';

/** Issue 15's roles editor through the API: a role's label beside its key, and the grants its matrix writes, enforced. */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Role labels');
const stage = (await call(admin, 'POST', '/api/records/sales.stage', { name: 'New' })).body.id;

t.test('a role has a free-text label beside its key: created, changed, cleared, listed, and in its event', async (t) => {
  const created = await call(admin, 'POST', '/api/admin/roles', {
    name: 'sales_eu',
    label: '  Sales team Europe ',
    permissions: { 'sales.stage': { read: true } },
  });
  t.equal(created.status, 201);
  t.match(created.body, { name: 'sales_eu', label: 'Sales team Europe', builtin: false, permissions: { 'sales.stage': { read: true } } });
  const listed = (await call(admin, 'GET', '/api/admin/roles')).body.data;
  t.equal(listed.find((r: { name: string }) => r.name === 'sales_eu').label, 'Sales team Europe');
  t.ok(
    listed.filter((r: { builtin: boolean }) => r.builtin).every((r: { label: unknown }) => r.label === null),
    'builtin roles have none',
  );

  const renamed = await call(admin, 'PATCH', `/api/admin/roles/${created.body.id}`, { label: 'Sales Europe & UK' });
  t.equal(renamed.status, 200);
  t.match(renamed.body, { name: 'sales_eu', label: 'Sales Europe & UK', permissions: { 'sales.stage': { read: true } } });
  const untouched = await call(admin, 'PATCH', `/api/admin/roles/${created.body.id}`, {
    permissions: { 'sales.stage': { read: true, create: true } },
  });
  t.equal(untouched.body.label, 'Sales Europe & UK', 'a PATCH without label keeps it');
  t.equal((await call(admin, 'PATCH', `/api/admin/roles/${created.body.id}`, { label: '  ' })).body.label, null, 'blank clears it');

  const history = await call(admin, 'GET', `/api/records/core.role/${created.body.id}`);
  t.equal(history.status, 200, 'the role is a core.role record');
  t.equal(history.body.label, null);
  t.equal(history.body.version, 4, 'each write one version');

  for (const label of [42, 'x'.repeat(121)]) {
    const bad = await call(admin, 'POST', '/api/admin/roles', { name: 'bad_label', label, permissions: {} });
    t.equal(bad.status, 400, `label ${String(label).slice(0, 10)} refused`);
    t.match(JSON.stringify(bad.body), /label/);
  }
  t.equal((await call(admin, 'GET', '/api/admin/roles')).body.data.filter((r: { name: string }) => r.name === 'bad_label').length, 0);
});

t.test('the grants a matrix writes (own by a user field, own by author, none, hidden and protected fields) are enforced', async (t) => {
  const role = await call(admin, 'POST', '/api/admin/roles', {
    name: 'own_deals',
    label: 'Own deals only',
    permissions: {
      'sales.deal': {
        read: { owner: '$user' },
        create: true,
        update: { owner: '$user' },
        fields: { read: ['name', 'stage', 'owner', 'amount'], write: ['name', 'stage'] },
      },
      'sales.stage': { read: { created_by: '$user' } },
    },
  });
  t.equal(role.status, 201);
  const seller = await app.addUser(admin, ['own_deals'], 'Seller');
  const theirs = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Admin deal', stage, amount: '5.00' });
  const mine = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Seller deal', stage, amount: '7.00', owner: seller.user.id });
  const list = await call(seller, 'GET', '/api/records/sales.deal');
  t.same(
    list.body.data.map((d: { name: string }) => d.name),
    ['Seller deal'],
    'own records only',
  );
  t.notOk('probability' in list.body.data[0], 'a field left out of read is hidden');
  t.equal((await call(seller, 'GET', `/api/records/sales.deal/${theirs.body.id}`)).status, 404);
  t.equal((await call(seller, 'DELETE', `/api/records/sales.deal/${mine.body.id}`)).status, 403, 'no delete: refused');
  t.equal((await call(seller, 'PATCH', `/api/records/sales.deal/${mine.body.id}`, { name: 'Renamed' })).status, 200);
  const amount = await call(seller, 'PATCH', `/api/records/sales.deal/${mine.body.id}`, { amount: '9.00' });
  t.equal(amount.status, 400, 'a readable but protected field is not written');
  t.match(amount.body.error.details, [{ field: 'amount' }]);
  t.equal((await call(seller, 'GET', '/api/records/sales.stage')).body.total, 0, "own by author: the admin's stage is not theirs");
});
