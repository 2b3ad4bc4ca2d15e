import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';
import { setTenantPlan } from '../src/platform/platform-api.ts';
import type { SignedIn } from '../src/platform/testing/index.ts';

/**
 * A tenant's plan limits users, records (in all and per model) and modules; going over is `402 plan_limit`
 * naming the limit, its max and the current value, checked in the write's own transaction so that
 * parallel writes cannot overshoot. A plan below the usage blocks new writes and deletes nothing.
 */
const app = await startFixtureApp({
  modules: ['dir', 'sales', 'memo'],
  plans: {
    default: 'small',
    list: {
      small: { label: 'Small', limits: { users: 5, records: 10, modules: 2 } },
      per_model: { label: 'Per model', limits: { modelRecords: { 'dir.company': 5 } } },
      big: { label: 'Big' },
      no_storage: { label: 'No storage', limits: { storageMb: 0 } },
    },
  },
});
t.teardown(() => app.close());
const planOf = (who: SignedIn, plan: string) => setTenantPlan(app.app.platform, who.tenant.id, plan);

const createCompanies = (who: SignedIn, n: number, prefix = 'Co') =>
  Promise.all(Array.from({ length: n }, (_, i) => call(who, 'POST', '/api/records/dir.company', { name: `${prefix} ${i}` })));
const companyCount = async (who: SignedIn): Promise<number> =>
  (await call(who, 'GET', '/api/records/dir.company?limit=500')).body.data.length;

t.test('20 parallel user creations against a 5-user plan leave exactly 5 users', async (t) => {
  const admin = await app.signup();
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      call(admin, 'POST', '/api/admin/users', {
        name: `U${i}`,
        email: `u${i}-${admin.tenant.id}@example.com`,
        password: 'correct horse',
        roles: ['user'],
      }),
    ),
  );
  t.equal(answers.filter((a) => a.status === 201).length, 4, 'the admin and four more');
  const refused = answers.filter((a) => a.status !== 201);
  t.equal(refused.length, 16);
  t.ok(
    refused.every((a) => a.status === 402 && a.body.error.code === 'plan_limit'),
    'the others are 402 plan_limit',
  );
  t.same(refused[0].body.error.details, [{ limit: 'users', max: 5, current: 5 }]);
  t.equal((await call(admin, 'GET', '/api/admin/users')).body.data.length, 5);
});

t.test('a record limit in all holds under parallel creates, and names max and current', async (t) => {
  const admin = await app.signup();
  const before = (await call(admin, 'GET', '/api/admin/plan')).body.usage.records;
  t.equal(before, 2, 'the seed data (two stages) counts');
  const answers = await createCompanies(admin, 20);
  t.equal(answers.filter((a) => a.status === 201).length, 8);
  const refused = answers.find((a) => a.status !== 201)!;
  t.equal(refused.status, 402);
  t.same(refused.body.error.details, [{ limit: 'records', max: 10, current: 10 }]);
  t.match(refused.body.error.message, /plan allows 10 records/);
  t.equal((await call(admin, 'GET', '/api/admin/plan')).body.usage.records, 10);
});

t.test('a per-model record limit holds under parallel creates; other models are not limited by it', async (t) => {
  const admin = await app.signup();
  await planOf(admin, 'per_model');
  const answers = await createCompanies(admin, 12);
  t.equal(answers.filter((a) => a.status === 201).length, 5);
  t.same(answers.find((a) => a.status === 402)!.body.error.details, [{ limit: 'records', max: 5, current: 5, model: 'dir.company' }]);
  t.equal(await companyCount(admin), 5);
  t.equal((await call(admin, 'POST', '/api/records/dir.tag', { name: 'a tag' })).status, 201);
});

t.test('an import over the limit is refused whole: nothing is written', async (t) => {
  const admin = await app.signup();
  const csv = ['name', ...Array.from({ length: 12 }, (_, i) => `Imported ${i}`)].join('\n');
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/dir.company/import',
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  t.equal(response.statusCode, 402);
  t.same(response.json().error.details, [{ limit: 'records', max: 10, current: 2 }], 'current: before the import');
  t.equal(await companyCount(admin), 0);
});

t.test('a downgrade below the usage keeps every record, blocks new ones, allows changes; an upgrade lifts it', async (t) => {
  const admin = await app.signup();
  await planOf(admin, 'big');
  t.ok((await createCompanies(admin, 12)).every((a) => a.status === 201));
  await planOf(admin, 'small');
  t.equal(await companyCount(admin), 12, 'nothing deleted');
  const refused = await call(admin, 'POST', '/api/records/dir.company', { name: 'One more' });
  t.equal(refused.status, 402);
  t.same(refused.body.error.details, [{ limit: 'records', max: 10, current: 14 }]);
  const [first] = (await call(admin, 'GET', '/api/records/dir.company?limit=1')).body.data;
  t.equal((await call(admin, 'PATCH', `/api/records/dir.company/${first.id}`, { name: 'Renamed' })).status, 200, 'an update adds nothing');
  t.equal((await call(admin, 'DELETE', `/api/records/dir.company/${first.id}`)).status, 204, 'a delete is allowed');
  await planOf(admin, 'big');
  t.equal((await call(admin, 'POST', '/api/records/dir.company', { name: 'One more' })).status, 201);
});

t.test('a module limit refuses switching on one more, and keeps those on after a downgrade', async (t) => {
  const admin = await app.signup();
  const plan = (await call(admin, 'GET', '/api/admin/plan')).body;
  t.equal(plan.usage.modules, 3, 'a new company has every shipped module on, whatever its plan');
  t.equal((await call(admin, 'PUT', '/api/admin/modules/memo', { enabled: false })).status, 200);
  const refused = await call(admin, 'PUT', '/api/admin/modules/memo', { enabled: true });
  t.equal(refused.status, 402);
  t.same(refused.body.error.details, [{ limit: 'modules', max: 2, current: 2 }]);
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true })).status, 200, 'a module already on is no more');
  await planOf(admin, 'big');
  t.equal((await call(admin, 'PUT', '/api/admin/modules/memo', { enabled: true })).status, 200);
});

t.test('the storage limit judges a write against the last measure of the storage', async (t) => {
  const admin = await app.signup();
  await planOf(admin, 'no_storage');
  t.equal((await call(admin, 'POST', '/api/records/dir.company', { name: 'Before any measure' })).status, 201);
  const measured = (await call(admin, 'GET', '/api/admin/plan')).body.usage.storage_bytes;
  const refused = await call(admin, 'POST', '/api/records/dir.company', { name: 'After' });
  t.equal(refused.status, 402);
  t.same(refused.body.error.details, [{ limit: 'storage', max: 0, current: measured }]);
  t.equal(
    (
      await call(admin, 'POST', '/api/admin/users', {
        name: 'Kim',
        email: `kim-${admin.tenant.id}@example.com`,
        password: 'correct horse',
        roles: ['user'],
      })
    ).status,
    201,
    'a user is not storage',
  );
});

t.test('GET /api/admin/plan answers the plan, its limits and the usage, to admins only', async (t) => {
  const admin = await app.signup();
  const user = await app.addUser(admin, ['user']);
  await call(admin, 'POST', '/api/records/dir.company', { name: 'Acme' });
  const { status, body } = await call(admin, 'GET', '/api/admin/plan');
  t.equal(status, 200);
  t.match(body, {
    plan: 'small',
    label: 'Small',
    limits: { users: 5, records: 10, model_records: {}, modules: 2, storage_bytes: null, requests_per_minute: null },
    usage: { users: 2, records: 3, modules: 3, model_records: { 'dir.company': 1, 'sales.stage': 2 } },
    plans: [{ name: 'small' }, { name: 'per_model' }, { name: 'big' }, { name: 'no_storage' }],
  });
  t.ok(body.usage.storage_bytes > 0);
  t.equal((await call(user, 'GET', '/api/admin/plan')).status, 403);
});

t.test('setTenantPlan refuses a plan that is not declared, naming the field', async (t) => {
  const admin = await app.signup();
  const unknownPlan = await planOf(admin, 'platinum').catch((error: unknown) => error);
  t.match(unknownPlan, { statusCode: 400, details: [{ field: 'plan' }] });
  const unknownTenant = await setTenantPlan(app.app.platform, '00000000-0000-4000-8000-000000000000', 'big').catch((e: unknown) => e);
  t.match(unknownTenant, { statusCode: 404 });
});
