import t from 'tap';
import { call, q, seedDeal, startFixtureApp } from './helpers.ts';

/*
 * Custom fields (docs/api.md, "Custom fields"): a tenant admin adds fields to a module's model through
 * /api/admin/custom-fields; right after the 201 they behave like declared fields in meta, validation,
 * defaults, the records API (read, write, filter, sort, group, sum), history and events; removing one
 * hides it and keeps the values, which come back when it is re-created with the same name and type.
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Custom fields');
const user = await app.addUser(admin, ['user'], 'Ursula');

const define = (body: object) => call(admin, 'POST', '/api/admin/custom-fields', body);

t.test('the contract: create, list, patch, delete; names, types and duplicates refused', async (t) => {
  const created = await define({
    model: 'sales.deal',
    name: 'x_region',
    type: 'selection',
    label: 'Region',
    help: 'Where',
    options: [
      { value: 'eu', label: 'Europe' },
      { value: 'us', label: 'Americas' },
    ],
    default: 'eu',
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  t.match(created.body, {
    id: String,
    model: 'sales.deal',
    name: 'x_region',
    type: 'selection',
    label: 'Region',
    help: 'Where',
    required: false,
    default: 'eu',
    options: [
      { value: 'eu', label: 'Europe' },
      { value: 'us', label: 'Americas' },
    ],
    model_ref: null,
  });
  t.same(
    (await call(admin, 'GET', '/api/admin/custom-fields')).body.data.map((f: { name: string }) => f.name),
    ['x_region'],
  );

  t.equal((await define({ model: 'sales.deal', name: 'x_region', type: 'string', label: 'Again' })).status, 409);
  for (const [body, field] of [
    [{ model: 'sales.deal', name: 'region', type: 'string', label: 'No prefix' }, 'name'],
    [{ model: 'sales.deal', name: 'x_Bad', type: 'string', label: 'Upper case' }, 'name'],
    [{ model: 'sales.deal', name: `x_${'a'.repeat(41)}`, type: 'string', label: 'Too long' }, 'name'],
    [{ model: 'sales.nothing', name: 'x_a', type: 'string', label: 'Unknown model' }, 'model'],
    [{ model: 'core.user', name: 'x_a', type: 'string', label: 'Core model' }, 'model'],
    [{ model: 'sales.deal', name: 'x_a', type: 'nonsense', label: 'Unknown type' }, 'type'],
    [{ model: 'sales.deal', name: 'x_a', type: 'one2many', label: 'Lines' }, 'type'],
    [{ model: 'sales.deal', name: 'x_a', type: 'selection', label: 'No options' }, 'options'],
    [
      { model: 'sales.deal', name: 'x_a', type: 'selection', label: 'Bad default', options: [{ value: 'a', label: 'A' }], default: 'b' },
      'default',
    ],
    [{ model: 'sales.deal', name: 'x_a', type: 'integer', label: 'Bad default', default: 'ten' }, 'default'],
    [{ model: 'sales.deal', name: 'x_a', type: 'many2one', label: 'No target' }, 'model_ref'],
    [{ model: 'sales.deal', name: 'x_a', type: 'many2one', label: 'Bad target', model_ref: 'sales.nothing' }, 'model_ref'],
    [{ model: 'sales.deal', name: 'x_a', type: 'string', label: 'Extra', widget: 'x' }, 'widget'],
  ] as const) {
    const answer = await define(body);
    t.equal(answer.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
    t.match(JSON.stringify(answer.body.error.details), field, `names ${field}`);
  }

  const patched = await call(admin, 'PATCH', `/api/admin/custom-fields/${created.body.id}`, { label: 'Sales region', required: true });
  t.equal(patched.status, 200);
  t.match(patched.body, { label: 'Sales region', required: true, options: [{ value: 'eu' }, { value: 'us' }] });
  t.equal((await call(admin, 'PATCH', `/api/admin/custom-fields/${created.body.id}`, { type: 'string' })).status, 400);
  t.equal((await call(user, 'GET', '/api/admin/custom-fields')).status, 403);
  t.equal(
    (await call(user, 'POST', '/api/admin/custom-fields', { model: 'sales.deal', name: 'x_b', type: 'string', label: 'B' })).status,
    403,
  );
  t.equal((await call(admin, 'PATCH', `/api/admin/custom-fields/${created.body.id}`, { required: false })).status, 200);
});

t.test('a custom field in meta, in writes, defaults and validation, and in every read', async (t) => {
  const meta = (await call(admin, 'GET', '/api/meta')).body;
  t.match(meta.models['sales.deal'].fields.x_region, {
    type: 'selection',
    label: 'Sales region',
    custom: true,
    default: 'eu',
    groupable: true,
  });
  t.notOk(meta.models['sales.deal'].fields.name.custom);

  const { deal } = await seedDeal(admin);
  t.equal(deal.x_region, 'eu', 'the default applies on create');
  const set = await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { x_region: 'us' });
  t.equal(set.status, 200);
  t.equal(set.body.x_region, 'us');
  t.equal((await call(admin, 'GET', `/api/records/sales.deal/${deal.id}`)).body.x_region, 'us');
  const bad = await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { x_region: 'mars' });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.details[0].field, 'x_region');
  const history = (await call(admin, 'GET', `/api/records/sales.deal/${deal.id}/history`)).body.data;
  t.ok(JSON.stringify(history).includes('x_region'), 'history carries it');
});

t.test('filter, sort, group and sum on custom fields of several types', async (t) => {
  for (const body of [
    { model: 'sales.deal', name: 'x_score', type: 'integer', label: 'Score' },
    { model: 'sales.deal', name: 'x_budget', type: 'money', label: 'Budget' },
    { model: 'sales.deal', name: 'x_due', type: 'date', label: 'Due' },
    { model: 'sales.deal', name: 'x_vip', type: 'boolean', label: 'VIP' },
    { model: 'sales.deal', name: 'x_company', type: 'many2one', label: 'Other company', model_ref: 'dir.company' },
    { model: 'sales.deal', name: 'x_extra', type: 'json', label: 'Extra' },
  ])
    t.equal((await define(body)).status, 201, body.name);
  const company = (await call(admin, 'POST', '/api/records/dir.company', { name: 'Zeta Corp' })).body;
  const stage = (await call(admin, 'POST', '/api/records/sales.stage', { name: 'Custom', sequence: 5 })).body.id;
  const rows = [
    {
      name: 'F1',
      x_score: 5,
      x_budget: '10.50',
      x_due: '2026-03-01',
      x_vip: true,
      x_region: 'eu',
      x_company: company.id,
      x_extra: { a: [1] },
    },
    { name: 'F2', x_score: 20, x_budget: '1.25', x_due: '2026-01-15', x_vip: false, x_region: 'us' },
    { name: 'F3', x_score: 12, x_budget: '100', x_due: null, x_vip: true, x_region: 'us' },
  ];
  for (const row of rows) {
    const created = await call(admin, 'POST', '/api/records/sales.deal', { ...row, stage });
    t.equal(created.status, 201, JSON.stringify(created.body));
  }
  const list = async (params: string) => {
    const answer = await call(admin, 'GET', `/api/records/sales.deal?${params}`);
    t.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.data.map((r: { name: string }) => r.name);
  };
  const only = q({ name: { $in: ['F1', 'F2', 'F3'] } });
  t.same(await list(`filter=${q({ x_score: { $gte: 12 } })}&sort=x_score`), ['F3', 'F2']);
  t.same(await list(`filter=${only}&sort=-x_budget`), ['F3', 'F1', 'F2']);
  t.same(await list(`filter=${only}&sort=x_due`), ['F3', 'F2', 'F1'], 'nulls first ascending, dates in date order');
  t.same(await list(`filter=${q({ x_due: { $lt: '2026-02-01' } })}`), ['F2']);
  t.same(await list(`filter=${q({ $and: [{ name: { $in: ['F1', 'F2', 'F3'] } }, { x_vip: true }] })}&sort=name`), ['F1', 'F3']);
  t.same(await list(`filter=${q({ x_company: company.id })}`), ['F1']);
  t.same(await list(`filter=${q({ x_company: { $ilike: '%zeta%' } })}`), ['F1']);
  t.same(await list(`filter=${q({ x_region: { $in: ['us'] }, name: { $in: ['F1', 'F2', 'F3'] } })}&sort=-x_score`), ['F2', 'F3']);
  const f1 = (await call(admin, 'GET', `/api/records/sales.deal?filter=${q({ name: 'F1' })}`)).body.data[0];
  t.match(f1, {
    x_score: 5,
    x_budget: '10.50',
    x_due: '2026-03-01',
    x_vip: true,
    x_company: { id: company.id, display: 'Zeta Corp' },
    x_extra: { a: [1] },
  });

  const groups = await call(admin, 'GET', `/api/records/sales.deal/groups?by=x_region&sum=x_budget&filter=${only}`);
  t.equal(groups.status, 200, JSON.stringify(groups.body));
  t.same(groups.body.data, [
    { key: 'eu', label: 'Europe', count: 1, sum: '10.50' },
    { key: 'us', label: 'Americas', count: 2, sum: '101.25' },
  ]);
  const scores = await call(admin, 'GET', `/api/records/sales.deal/groups?by=x_vip&sum=x_score&filter=${only}`);
  t.same(
    scores.body.data.map((g: { key: boolean; sum: number }) => [g.key, g.sum]),
    [
      [false, 20],
      [true, 17],
    ],
  );
  const byCompany = await call(admin, 'GET', `/api/records/sales.deal/groups?by=x_company&filter=${only}`);
  t.match(byCompany.body.data, [
    { key: null, count: 2 },
    { key: company.id, label: 'Zeta Corp', count: 1 },
  ]);

  const elsewhere = await app.signup('Other company');
  const theirs = (await call(elsewhere, 'POST', '/api/records/dir.company', { name: 'Not yours' })).body;
  const refused = await call(admin, 'PATCH', `/api/records/sales.deal/${f1.id}`, { x_company: theirs.id });
  t.equal(refused.status, 400, "a custom many2one to another tenant's record is refused");
  t.equal(refused.body.error.details[0].field, 'x_company');
});
