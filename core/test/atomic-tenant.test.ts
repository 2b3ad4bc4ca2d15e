import t from 'tap';
import { ident, sql } from '../src/store/sql.ts';
import { call, startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const { db } = app.app.platform;

/**
 * A seed that fails half-way: the second of sales' two stages ("Won") breaks a constraint, after the
 * first went in. Stands for any failure while a tenant's or a module's seed data loads.
 */
const breakSeed = () => db.system(sql`ALTER TABLE sales_stage ADD CONSTRAINT test_no_won CHECK (name <> 'Won') NOT VALID`);
const mendSeed = () => db.system(sql`ALTER TABLE sales_stage DROP CONSTRAINT test_no_won`);

/** Rows of every table a new tenant writes to, all tenants together. */
async function footprint(): Promise<Record<string, number>> {
  const tables = [
    'core_tenants',
    'core_users',
    'core_roles',
    'core_user_roles',
    'core_tenant_modules',
    'core_event_cursors',
    'core_events',
    'core_data_keys',
    'sales_stage',
  ];
  const counts = await Promise.all(
    tables.map(async (table) => (await db.system<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${ident(table)}`))[0].n),
  );
  return Object.fromEntries(tables.map((table, i) => [table, counts[i]]));
}

const signup = (email: string) =>
  app.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { company: 'Atomic Co', name: 'Ada', email, password: 'correct horse battery' },
  });
const login = (email: string) =>
  app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse battery' } });

t.test('a signup whose seed data fails leaves nothing: no tenant, no user, no roles, no modules, no half of the seed', async (t) => {
  const before = await footprint();
  await breakSeed();
  const failed = await signup('ada@atomic.example');
  await mendSeed();
  t.equal(failed.statusCode, 500);
  t.same(await footprint(), before, 'not one row of the tenant remains');
  t.equal((await login('ada@atomic.example')).statusCode, 401, 'its admin cannot log in');

  const retried = await signup('ada@atomic.example');
  t.equal(retried.statusCode, 201, 'the same company and email sign up again');
  t.equal(retried.json().tenant.slug, 'atomic-co', 'the failed signup held no slug');
  const admin = {
    ...retried.json(),
    request: (o: object) => app.app.inject({ ...o, headers: { authorization: `Bearer ${retried.json().token}` } }),
  };
  t.same(
    (await call(admin, 'GET', '/api/records/sales.stage?sort=sequence')).body.data.map((s: { name: string }) => s.name),
    ['Lead', 'Won'],
    'with all of its seed data',
  );
  t.equal((await login('ada@atomic.example')).statusCode, 200);
});

t.test('switching on a module whose seed data fails leaves it off, with none of its data', async (t) => {
  const admin = await app.signup('Switch Co');
  const tenant = admin.tenant.id;
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false })).status, 200);
  // As for a module shipped after the tenant was created: never switched on, never seeded.
  await db.system(sql`WITH keys AS (DELETE FROM core_data_keys WHERE tenant_id = ${tenant}::uuid AND key LIKE 'sales.%'), stages AS (DELETE FROM sales_stage WHERE tenant_id = ${tenant}::uuid)
    DELETE FROM core_tenant_modules WHERE tenant_id = ${tenant}::uuid AND module = 'sales'`);
  const before = await footprint();

  await breakSeed();
  const failed = await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true });
  await mendSeed();
  t.equal(failed.status, 500);
  t.same(await footprint(), before, 'no stage, no data key, no event, no module row');
  const modules = (await call(admin, 'GET', '/api/admin/modules')).body.data;
  t.same(modules.find((m: { name: string }) => m.name === 'sales').enabled, false, 'the module stays off');
  t.equal((await call(admin, 'GET', '/api/records/sales.stage')).body.error.code, 'module_disabled');

  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true })).status, 200, 'switching it on again works');
  t.same(
    (await call(admin, 'GET', '/api/records/sales.stage?sort=sequence')).body.data.map((s: { name: string }) => s.name),
    ['Lead', 'Won'],
    'with all of its seed data',
  );
});

t.test('parallel signups of one company name each get a slug of their own, with all of their seed data', async (t) => {
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      app.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { company: 'Parallel Co', name: 'P', email: `p${i}@parallel.example`, password: 'correct horse battery' },
      }),
    ),
  );
  t.same(
    answers.map((a) => a.statusCode),
    [201, 201, 201, 201, 201, 201],
  );
  const slugs = answers.map((a) => a.json().tenant.slug as string).sort();
  t.same(slugs, ['parallel-co', 'parallel-co-2', 'parallel-co-3', 'parallel-co-4', 'parallel-co-5', 'parallel-co-6']);
  for (const answer of answers) {
    const stages = await app.app.inject({
      method: 'GET',
      url: '/api/records/sales.stage',
      headers: { authorization: `Bearer ${answer.json().token}` },
    });
    t.equal(stages.json().data.length, 2, `${answer.json().tenant.slug} has its stages`);
  }
});
