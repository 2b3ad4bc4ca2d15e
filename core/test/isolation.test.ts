import t from 'tap';
import pg from 'pg';
import { call, q, seedDeal, startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const a = await app.signup('Tenant A');
const b = await app.signup('Tenant B');
const { deal, company, stage } = await seedDeal(a, { tags: [] });
const tag = (await call(a, 'POST', '/api/records/dir.tag', { name: 'vip' })).body;

t.test("another tenant's record ids are 404 on every route, the same body as a random id", async (t) => {
  const random = '3f1d7f7e-2b7a-4c1e-9d6a-0c8e9f4b2a11';
  const routes: [string, string, unknown?][] = [
    ['GET', `/api/records/sales.deal/${deal.id}`],
    ['PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'stolen' }],
    ['DELETE', `/api/records/sales.deal/${deal.id}`],
    ['POST', `/api/records/sales.deal/${deal.id}/actions/close`, {}],
    ['GET', `/api/records/sales.deal/${deal.id}/history`],
  ];
  for (const [method, url, body] of routes) {
    const theirs = await call(b, method as 'GET', url, body);
    const none = await call(b, method as 'GET', url.replace(deal.id, random), body);
    t.equal(theirs.status, 404, `${method} ${url}`);
    t.same(theirs.body, none.body, `${method} ${url}: indistinguishable from a random id`);
  }
  const still = await call(a, 'GET', `/api/records/sales.deal/${deal.id}`);
  t.equal(still.body.name, 'Deal', 'the record is untouched');
  t.equal(still.body.version, 1);
});

t.test('lists, filters and groups of another tenant see nothing', async (t) => {
  const list = await call(b, 'GET', `/api/records/sales.deal?filter=${q({ id: deal.id })}`);
  t.same(list.body, { data: [], total: 0 });
  const byPartner = await call(b, 'GET', `/api/records/sales.deal?filter=${q({ partner: company })}`);
  t.equal(byPartner.body.total, 0);
  const groups = await call(b, 'GET', '/api/records/sales.deal/groups?by=stage&sum=amount');
  t.same(groups.body, { data: [] });
  t.equal((await call(a, 'GET', '/api/records/sales.deal')).body.total, 1);
});

t.test("a relation to another tenant's record is refused, naming the field", async (t) => {
  const own = await call(b, 'POST', '/api/records/sales.stage', { name: 'B stage' });
  const m2o = await call(b, 'POST', '/api/records/sales.deal', { name: 'x', stage: own.body.id, partner: company });
  t.equal(m2o.status, 400);
  t.equal(m2o.body.error.details[0].field, 'partner');
  const m2oStage = await call(b, 'POST', '/api/records/sales.deal', { name: 'x', stage });
  t.equal(m2oStage.status, 400);
  t.equal(m2oStage.body.error.details[0].field, 'stage');
  const m2m = await call(b, 'POST', '/api/records/dir.company', { name: 'x', tags: [tag.id] });
  t.equal(m2m.status, 400);
  t.equal(m2m.body.error.details[0].field, 'tags');
  t.equal((await call(b, 'GET', '/api/records/dir.company')).body.total, 0, 'no half-written record');
});

t.test('a body cannot choose the tenant, the id, the version or the author', async (t) => {
  for (const field of ['tenant_id', 'id', 'version', 'created_by', 'updated_at']) {
    const r = await call(b, 'POST', '/api/records/dir.company', { name: 'x', [field]: field === 'version' ? 7 : a.tenant.id });
    t.equal(r.status, 400, field);
    t.equal(r.body.error.details[0].field, field);
  }
});

t.test('row-level security refuses what the application filter would not see', async (t) => {
  const url = app.app.platform.db.url;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  const asApp = async (tenant: string | null, statement: string): Promise<pg.QueryResult> => {
    const results = (await client.query(
      `BEGIN; SET LOCAL ROLE atrium_app; SELECT set_config('app.tenant_id', '${tenant ?? ''}', true); ${statement}; COMMIT`,
    )) as unknown as pg.QueryResult[];
    return results[3];
  };
  t.equal((await asApp(b.tenant.id, 'SELECT * FROM sales_deal')).rows.length, 0, "tenant B sees none of A's rows without any WHERE");
  t.equal((await asApp(null, 'SELECT * FROM sales_deal')).rows.length, 0, 'no tenant set: nothing');
  t.equal((await asApp(a.tenant.id, 'SELECT * FROM sales_deal')).rows.length, 1, 'tenant A sees its row');
  await t.rejects(
    asApp(b.tenant.id, `INSERT INTO sales_deal (tenant_id, id, name) VALUES ('${a.tenant.id}', gen_random_uuid(), 'x')`),
    /row-level security/,
    'cannot write into another tenant',
  );
  await client.query('ROLLBACK').catch(() => undefined);
  await t.rejects(
    asApp(
      b.tenant.id,
      `INSERT INTO sales_deal (tenant_id, id, name, partner_id) VALUES ('${b.tenant.id}', gen_random_uuid(), 'x', '${company}')`,
    ),
    /foreign key/,
    'the database refuses a relation into another tenant',
  );
  await client.query('ROLLBACK').catch(() => undefined);
  await t.rejects(
    asApp(a.tenant.id, 'SELECT password_hash FROM core_users'),
    /permission denied/,
    'the runtime role cannot read password hashes',
  );
  await client.query('ROLLBACK').catch(() => undefined);

  const tables =
    await client.query(`SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relkind = 'r' AND a.attname = 'tenant_id' AND c.relnamespace = 'public'::regnamespace`);
  t.ok(tables.rows.length >= 10, 'every tenant table is checked');
  for (const row of tables.rows) t.ok(row.relrowsecurity && row.relforcerowsecurity, `${row.relname}: RLS enabled and forced`);
  const [role] = (
    await client.query(
      `SELECT rolsuper, rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owned FROM pg_roles r WHERE rolname = 'atrium_app'`,
    )
  ).rows;
  t.same(
    role,
    { rolsuper: false, rolbypassrls: false, owned: '0' },
    'the runtime role is no superuser, cannot bypass RLS and owns nothing',
  );
});
