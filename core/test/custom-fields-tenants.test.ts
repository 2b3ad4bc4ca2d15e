import t from 'tap';
import { call, q, seedDeal, startFixtureApp } from './helpers.ts';
import { TestSocket } from './socket-client.ts';

/*
 * A custom field belongs to its tenant: another tenant's meta, records, events and OpenAPI never show it
 * and a body naming it there is a 400; a role's field rules hide or protect it like any field; removing
 * it hides it and keeps the values, re-creating it with the same type brings them back; export and
 * import carry it.
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Owner of the field');
const other = await app.signup('Another tenant');
const define = (body: object) => call(admin, 'POST', '/api/admin/custom-fields', body);
const field = (await define({ model: 'sales.deal', name: 'x_budget_code', type: 'string', label: 'Budget code' })).body;
const hidden = (await define({ model: 'sales.deal', name: 'x_margin', type: 'number', label: 'Margin' })).body;
const { deal, stage } = await seedDeal(admin, { x_budget_code: 'B-1', x_margin: 0.25 });

t.test('another tenant sees nothing of it, and cannot name it', async (t) => {
  t.equal(deal.x_budget_code, 'B-1');
  const theirMeta = (await call(other, 'GET', '/api/meta')).body;
  t.notOk(theirMeta.models['sales.deal'].fields.x_budget_code);
  t.equal((await call(other, 'GET', '/api/admin/custom-fields')).body.data.length, 0);
  const { deal: theirs } = await seedDeal(other);
  t.notOk('x_budget_code' in theirs);
  for (const [method, url, body] of [
    ['POST', '/api/records/sales.deal', { name: 'N', stage: theirs.stage.id, x_budget_code: 'mine' }],
    ['PATCH', `/api/records/sales.deal/${theirs.id}`, { x_budget_code: 'mine' }],
  ] as const) {
    const answer = await call(other, method, url, body);
    t.equal(answer.status, 400, `${method} ${url}`);
    t.equal(answer.body.error.details[0].field, 'x_budget_code');
  }
  for (const query of [`filter=${q({ x_budget_code: 'B-1' })}`, 'sort=x_budget_code', 'fields=name,x_budget_code'])
    t.equal((await call(other, 'GET', `/api/records/sales.deal?${query}`)).status, 400, query);
  t.equal((await call(other, 'GET', '/api/records/sales.deal/groups?by=x_budget_code')).status, 400);
  const doc = (await other.request({ method: 'GET', url: '/api/openapi.json' })).body;
  t.notOk(doc.includes('x_budget_code'), "another tenant's OpenAPI does not describe it");
  const ownDoc = (await admin.request({ method: 'GET', url: '/api/openapi.json' })).body;
  t.ok(ownDoc.includes('x_budget_code'), "the tenant's OpenAPI describes it");
  // Patching the other tenant's same-named definition id is not found.
  t.equal((await call(other, 'PATCH', `/api/admin/custom-fields/${field.id}`, { label: 'Stolen' })).status, 404);
  t.equal((await call(other, 'DELETE', `/api/admin/custom-fields/${field.id}`)).status, 404);
});

t.test('events carry it to the tenant, never to another tenant', async (t) => {
  const mine = await TestSocket.connect(app.app, admin.token);
  const theirs = await TestSocket.connect(app.app, other.token);
  t.teardown(() => [mine, theirs].forEach((s) => s.close()));
  await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { x_budget_code: 'B-2' });
  const frames = await mine.until(deal.id);
  t.equal((frames.at(-1)!.record as { x_budget_code?: string }).x_budget_code, 'B-2');
  const { deal: theirDeal } = await seedDeal(other);
  const theirFrames = await theirs.until(theirDeal.id);
  t.notOk(JSON.stringify([...theirFrames, ...theirs.frames]).includes('x_budget_code'));
});

t.test("a role's field rules hide or protect a custom field", async (t) => {
  const role = await call(admin, 'POST', '/api/admin/roles', {
    name: 'auditor',
    permissions: { 'sales.deal': { read: true, update: true, fields: { read: ['name', 'stage', 'x_budget_code'], write: ['name'] } } },
  });
  t.equal(role.status, 201, JSON.stringify(role.body));
  const auditor = await app.addUser(admin, ['auditor'], 'Auditor');
  const read = (await call(auditor, 'GET', `/api/records/sales.deal/${deal.id}`)).body;
  t.equal(read.x_budget_code, 'B-2', 'readable');
  t.notOk('x_margin' in read, 'hidden');
  const meta = (await call(auditor, 'GET', '/api/meta')).body.models['sales.deal'].fields;
  t.match(meta.x_budget_code, { custom: true, readonly: true });
  t.notOk(meta.x_margin);
  t.equal((await call(auditor, 'PATCH', `/api/records/sales.deal/${deal.id}`, { x_budget_code: 'B-3' })).status, 400, 'protected');
  t.equal((await call(auditor, 'GET', `/api/records/sales.deal?filter=${q({ x_margin: { $gt: 0 } })}`)).status, 400);
  t.equal((await call(auditor, 'GET', '/api/records/sales.deal?sort=x_margin')).status, 400);
  const history = (await call(auditor, 'GET', `/api/records/sales.deal/${deal.id}/history`)).body.data;
  t.notOk(JSON.stringify(history).includes('x_margin'), 'history masks it');
  // The fixture's builtin "user" role lists the deal fields it reads: a custom field is not among them.
  const user = await app.addUser(admin, ['user'], 'Plain user');
  t.notOk('x_budget_code' in (await call(user, 'GET', `/api/records/sales.deal/${deal.id}`)).body);
});

t.test('export and import carry it', async (t) => {
  const exported = await admin.request({
    method: 'GET',
    url: `/api/records/sales.deal/export?format=csv&fields=name,x_budget_code&filter=${q({ id: deal.id })}`,
  });
  t.equal(exported.statusCode, 200);
  t.match(exported.body, /Budget code/);
  t.match(exported.body, /B-2/);
  const imported = await admin.request({
    method: 'POST',
    url: '/api/records/sales.deal/import',
    payload: `name,stage,x_budget_code\nImported,${stage},IMP-9\n`,
    headers: { 'content-type': 'text/csv' },
  });
  t.equal(imported.statusCode, 200, imported.body);
  const found = (await call(admin, 'GET', `/api/records/sales.deal?filter=${q({ x_budget_code: 'IMP-9' })}`)).body.data;
  t.same(
    found.map((d: { name: string }) => d.name),
    ['Imported'],
  );
});

t.test('removing hides it and keeps the values; the same name and type bring them back, another type does not', async (t) => {
  t.equal((await call(admin, 'DELETE', `/api/admin/custom-fields/${field.id}`)).status, 204);
  t.equal((await call(admin, 'DELETE', `/api/admin/custom-fields/${field.id}`)).status, 404);
  t.notOk((await call(admin, 'GET', '/api/meta')).body.models['sales.deal'].fields.x_budget_code);
  t.notOk('x_budget_code' in (await call(admin, 'GET', `/api/records/sales.deal/${deal.id}`)).body);
  t.equal((await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { x_budget_code: 'gone' })).status, 400);
  t.equal((await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'Renamed meanwhile' })).status, 200);

  const again = await define({ model: 'sales.deal', name: 'x_budget_code', type: 'string', label: 'Budget code again' });
  t.equal(again.status, 201);
  t.equal(again.body.id, field.id, 'the same definition comes back');
  t.equal((await call(admin, 'GET', `/api/records/sales.deal/${deal.id}`)).body.x_budget_code, 'B-2', 'its value is back');

  t.equal((await call(admin, 'DELETE', `/api/admin/custom-fields/${hidden.id}`)).status, 204);
  t.equal((await define({ model: 'sales.deal', name: 'x_margin', type: 'string', label: 'Margin as text' })).status, 201);
  t.equal((await call(admin, 'GET', `/api/records/sales.deal/${deal.id}`)).body.x_margin, null, 'another type starts empty');
});
