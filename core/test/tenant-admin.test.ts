import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Toggle Co');
const other = await app.signup('Other Co');
const user = await app.addUser(admin, ['user'], 'Sam');
const stages = async (who = admin) =>
  (await call(who, 'GET', '/api/records/sales.stage?sort=sequence')).body.data.map((s: { name: string }) => s.name);

t.test('seed data is loaded once per tenant when a module is enabled', async (t) => {
  t.same(await stages(), ['Lead', 'Won']);
  t.same(await stages(other), ['Lead', 'Won'], 'every tenant gets its own copy');
});

t.test('modules toggle at once, keep their data, respect dependencies both ways, and touch no other tenant', async (t) => {
  const list = await call(admin, 'GET', '/api/admin/modules');
  t.same(
    list.body.data.map((m: { name: string; enabled: boolean }) => [m.name, m.enabled]),
    [
      ['dir', true],
      ['sales', true],
    ],
  );
  const stage = (await call(admin, 'GET', '/api/records/sales.stage?sort=sequence')).body.data[0].id;
  const renamed = await call(admin, 'PATCH', `/api/records/sales.stage/${stage}`, { name: 'Prospect' });
  t.equal(renamed.status, 200, 'tenants customise their seeded configuration');
  const deal = (await call(user, 'POST', '/api/records/sales.deal', { name: 'Kept', stage, amount: '5.00' })).body;

  const blocked = await call(admin, 'PUT', '/api/admin/modules/dir', { enabled: false });
  t.equal(blocked.status, 409);
  t.same(blocked.body.error.details, { blocking: ['sales'] });
  t.match(blocked.body.error.message, /sales/);

  const off = await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false });
  t.equal(off.status, 200);
  t.same(off.body.enabled, false);
  const gone = await call(user, 'GET', `/api/records/sales.deal/${deal.id}`);
  t.equal(gone.status, 404);
  t.equal(gone.body.error.code, 'module_disabled', 'routes answer 404 module_disabled at once, for logged-in users too');
  t.equal((await call(user, 'POST', '/api/records/sales.deal', { name: 'x', stage })).body.error.code, 'module_disabled');
  const meta = (await call(user, 'GET', '/api/meta')).body;
  t.notOk(meta.models['sales.deal'], 'its models leave /api/meta');
  t.notOk(
    meta.menus.some((m: { module: string }) => m.module === 'sales'),
    'and its menus',
  );
  t.same((await call(user, 'GET', '/api/me')).body.modules, ['dir']);
  t.equal((await call(other, 'GET', '/api/records/sales.deal')).status, 200, 'another tenant is unaffected');

  t.equal((await call(admin, 'PUT', '/api/admin/modules/dir', { enabled: false })).status, 200);
  const needsDir = await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true });
  t.equal(needsDir.status, 409);
  t.same(needsDir.body.error.details, { blocking: ['dir'] });
  t.equal((await call(admin, 'PUT', '/api/admin/modules/dir', { enabled: true })).status, 200);
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true })).status, 200);

  const back = await call(user, 'GET', `/api/records/sales.deal/${deal.id}`);
  t.equal(back.status, 200, 're-enabling brings back exactly the same data');
  t.same({ name: back.body.name, version: back.body.version, amount: back.body.amount }, { name: 'Kept', version: 1, amount: '5.00' });
  t.same(await stages(), ['Prospect', 'Won'], 'seed data is not loaded again');
  const won = (await call(admin, 'GET', '/api/records/sales.stage?sort=sequence')).body.data[1].id;
  t.equal((await call(admin, 'DELETE', `/api/records/sales.stage/${won}`)).status, 204);
  await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false });
  await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true });
  t.same(await stages(), ['Prospect'], 'a seeded record the tenant deleted stays deleted');
  t.equal((await call(admin, 'PUT', '/api/admin/modules/nope', { enabled: true })).status, 404);
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: 'yes' })).status, 400);
  t.equal((await call(user, 'PUT', '/api/admin/modules/sales', { enabled: false })).status, 403);
});

t.test('tenant settings: name, currency (money follows its precision) and locale', async (t) => {
  const current = await call(admin, 'GET', '/api/admin/settings');
  t.match(current.body, { name: 'Toggle Co', currency: 'USD', locale: 'en-US' });
  const jpy = await call(admin, 'PATCH', '/api/admin/settings', { currency: 'JPY', locale: 'ja-jp', name: 'Toggle KK' });
  t.equal(jpy.status, 200);
  t.match(jpy.body, { name: 'Toggle KK', currency: 'JPY', locale: 'ja-JP' });
  t.match((await call(user, 'GET', '/api/me')).body.tenant, { currency: 'JPY', name: 'Toggle KK' }, 'effective at the next request');
  const stage = (await call(user, 'GET', '/api/records/sales.stage')).body.data[0].id;
  t.equal((await call(user, 'POST', '/api/records/sales.deal', { name: 'Yen', stage, amount: '12.5' })).status, 400, 'yen has no decimals');
  t.equal((await call(user, 'POST', '/api/records/sales.deal', { name: 'Yen', stage, amount: 1500 })).body.amount, '1500');
  t.equal((await call(admin, 'PATCH', '/api/admin/settings', { currency: 'XYZ' })).status, 400);
  t.equal((await call(admin, 'PATCH', '/api/admin/settings', { locale: 'not a locale!' })).status, 400);
  for (const locale of ['xx-nonsense', 'en-nonsense', 'en-US-u-ca-buddhist']) {
    const refused = await call(admin, 'PATCH', '/api/admin/settings', { locale });
    t.equal(refused.status, 400, `${locale} is refused`);
    t.same(
      refused.body.error.details.map((p: { field: string }) => p.field),
      ['locale'],
      'naming the field',
    );
  }
  t.equal((await call(admin, 'PATCH', '/api/admin/settings', { slug: 'x' })).status, 400);
  await call(admin, 'PATCH', '/api/admin/settings', { currency: 'USD' });
});

t.test('usage: records and writes per model, writes per day, users and storage match what was written', async (t) => {
  const fresh = await app.signup('Usage Co');
  const helper = await app.addUser(fresh, ['user'], 'Helper');
  const stage = (await call(fresh, 'GET', '/api/records/sales.stage')).body.data[0].id;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await call(helper, 'POST', '/api/records/sales.deal', { name: `D${i}`, stage })).body.id);
  await call(helper, 'PATCH', `/api/records/sales.deal/${ids[0]}`, { name: 'D0b' });
  await call(fresh, 'DELETE', `/api/records/sales.deal/${ids[1]}`);
  const { status, body } = await call(fresh, 'GET', '/api/admin/usage?days=7');
  t.equal(status, 200);
  const deals = body.models.find((m: { model: string }) => m.model === 'sales.deal');
  t.same(deals, { model: 'sales.deal', module: 'sales', label: 'Deal', records: 2, writes: { created: 3, updated: 1, deleted: 1 } });
  const stages = body.models.find((m: { model: string }) => m.model === 'sales.stage');
  t.same([stages.records, stages.writes.created], [2, 2], 'seed data counts as written');
  t.same(body.daily, [{ day: new Date().toISOString().slice(0, 10), writes: 7 }]);
  t.same(body.users, { total: 2, active_accounts: 2, active_in_period: 2 });
  t.ok(body.storage.records_bytes > 0 && body.storage.total_bytes > body.storage.records_bytes);
  t.equal((await call(fresh, 'GET', '/api/admin/usage?days=0')).status, 400);
});

t.test('subdomain routing: acme.<base> is tenant acme', async (t) => {
  const hosted = await startFixtureApp({ baseDomain: 'atrium.test' });
  t.teardown(() => hosted.close());
  const inject = hosted.app.inject.bind(hosted.app);
  const signup = async (company: string) =>
    (
      await inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { company, name: 'N', email: 'same@example.com', password: 'same password' },
      })
    ).json();
  const acme = await signup('Acme');
  const globex = await signup('Globex');
  const login = (host: string) =>
    inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { host },
      payload: { email: 'same@example.com', password: 'same password' },
    });
  t.equal((await login('atrium.test')).statusCode, 400, 'on the bare domain the tenant must be named');
  const onAcme = await login('acme.atrium.test:3000');
  t.equal(onAcme.statusCode, 200, 'on its subdomain the login needs no tenant field');
  t.equal(onAcme.json().tenant.slug, 'acme');
  t.equal((await login('nobody.atrium.test')).statusCode, 401);
  const me = (token: string, host: string) =>
    inject({ method: 'GET', url: '/api/me', headers: { host, authorization: `Bearer ${token}` } });
  t.equal((await me(acme.token, 'acme.atrium.test')).statusCode, 200);
  t.equal((await me(globex.token, 'acme.atrium.test')).statusCode, 401, "another tenant's token is refused on this host");
  t.equal((await me(globex.token, 'atrium.test')).statusCode, 200, 'the bare domain serves every tenant');
});

t.test('/api/docs describes the record API generated from the manifests', async (t) => {
  const all = (await app.app.inject({ method: 'GET', url: '/api/docs' })).json();
  t.equal(all.openapi.slice(0, 2), '3.');
  t.ok(all.paths['/api/records/sales.deal/{id}'].patch, 'every model gets its routes');
  t.ok(all.paths['/api/records/sales.deal/{id}/actions/close'].post, 'and its actions');
  t.ok(all.paths['/api/auth/login'].post, 'the fixed routes come from their schemas');
  t.same(all.components.schemas['sales.deal.write'].required.sort(), ['name', 'stage']);
  t.same(all.components.schemas['sales.deal'].properties.stage.properties.display, { type: 'string', nullable: true });
  const toggled = await app.signup('Docs Co');
  await call(toggled, 'PUT', '/api/admin/modules/sales', { enabled: false });
  const mine = (await call(toggled, 'GET', '/api/docs')).body;
  t.notOk(mine.paths['/api/records/sales.deal'], "with a token: only the tenant's enabled modules");
  t.ok(mine.paths['/api/records/dir.company']);
});
