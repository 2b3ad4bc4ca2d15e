import t from 'tap';
import { startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup();
const user = await app.addUser(admin, ['user']);
const other = await app.signup();

const toggle = (name: string, enabled: boolean, who = admin) => who.request({ method: 'PUT', url: `/api/admin/modules/${name}`, payload: { enabled } });
const stages = async (who = admin) => (await who.request({ method: 'GET', url: '/api/records/sales.stage' })).json().data.map((s: { name: string }) => s.name);

t.test('an admin lists the shipped modules and which are on', async (t) => {
  const response = await admin.request({ method: 'GET', url: '/api/admin/modules' });
  t.same(response.json().data.map((m: { name: string; enabled: boolean; depends: string[] }) => [m.name, m.enabled, m.depends]), [['dir', true, []], ['sales', true, ['dir']]]);
  t.equal((await user.request({ method: 'GET', url: '/api/admin/modules' })).statusCode, 403);
  t.equal((await toggle('sales', false, user)).statusCode, 403);
  t.equal((await toggle('nope', false)).statusCode, 404);
});

t.test('a module that another enabled module depends on cannot go off', async (t) => {
  const response = await toggle('dir', false);
  t.equal(response.statusCode, 409);
  t.same(response.json().error.details, { modules: ['sales'] });
});

t.test('off: its routes answer module_disabled and it leaves /api/meta; on again: its rows are back', async (t) => {
  const deal = (await admin.request({ method: 'POST', url: '/api/records/sales.deal', payload: { name: 'D', stage: (await admin.request({ method: 'GET', url: '/api/records/sales.stage' })).json().data[0].id } })).json();
  const off = await toggle('sales', false);
  t.match(off.json(), { name: 'sales', enabled: false });
  const disabled = await user.request({ method: 'GET', url: `/api/records/sales.deal/${deal.id}` });
  t.equal(disabled.statusCode, 404);
  t.equal(disabled.json().error.code, 'module_disabled');
  const meta = (await user.request({ method: 'GET', url: '/api/meta' })).json();
  t.notOk(meta.models['sales.deal']);
  t.same((await user.request({ method: 'GET', url: '/api/me' })).json().modules, ['dir']);
  t.equal((await other.request({ method: 'GET', url: '/api/records/sales.deal' })).statusCode, 200, 'other tenants keep it');
  t.equal((await toggle('sales', true)).json().enabled, true);
  t.equal((await user.request({ method: 'GET', url: `/api/records/sales.deal/${deal.id}` })).statusCode, 200);
});

t.test('a module goes on only with its dependencies; its seed data loads once per tenant', async (t) => {
  t.same(await stages(), ['Seeded']);
  await toggle('sales', false);
  await toggle('dir', false);
  const blocked = await toggle('sales', true);
  t.equal(blocked.statusCode, 409);
  t.same(blocked.json().error.details, { modules: ['dir'] });
  await toggle('dir', true);
  await toggle('sales', true);
  t.same(await stages(), ['Seeded'], 'not seeded twice');
  const [seeded] = (await admin.request({ method: 'GET', url: '/api/records/sales.stage' })).json().data;
  await admin.request({ method: 'DELETE', url: `/api/records/sales.deal/${(await admin.request({ method: 'GET', url: '/api/records/sales.deal' })).json().data[0].id}` });
  t.equal((await admin.request({ method: 'DELETE', url: `/api/records/sales.stage/${seeded.id}` })).statusCode, 204);
  await toggle('sales', false);
  await toggle('sales', true);
  t.same(await stages(), [], 'a seeded record the tenant deleted stays deleted');
});
