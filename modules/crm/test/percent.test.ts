import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

/**
 * crm registers the field type `percent` (server.ts) and declares a lead's probability with it: the core
 * knows nothing of percents, yet the type validates, filters, groups, sums and is described like its own.
 */
const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();

const post = (probability: unknown, name = 'Lead') =>
  admin.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name, probability } });
const get = async (url: string) => (await admin.request({ method: 'GET', url })).json();
const q = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

t.test('a percent is a number from 0 to 100: the type’s defaults bound every field of it', async (t) => {
  for (const bad of [150, -1, '40']) {
    const refused = await post(bad);
    t.equal(refused.statusCode, 400, `${JSON.stringify(bad)} is refused`);
    t.equal(refused.json().error.details[0].field, 'probability', 'naming the field');
  }
  const created = await post(37.5, 'Percent lead');
  t.equal(created.statusCode, 201);
  t.equal(created.json().probability, 37.5);
});

t.test('filters, groups and sums work on a percent', async (t) => {
  await post(10, 'Ten');
  await post(10, 'Ten again');
  await post(90, 'Ninety');
  const high = await get(`/api/records/crm.lead?filter=${q({ probability: { $gte: 50 }, name: { $ilike: 'n%' } })}`);
  t.same(
    high.data.map((r: { name: string }) => r.name),
    ['Ninety'],
  );
  const refused = await admin.request({ method: 'GET', url: `/api/records/crm.lead?filter=${q({ probability: { $ilike: '1%' } })}` });
  t.equal(refused.statusCode, 400, 'a percent is not text');
  const groups = await get('/api/records/crm.lead/groups?by=probability&sum=probability');
  const ten = groups.data.find((g: { key: number }) => g.key === 10);
  t.match(ten, { key: 10, label: '10', count: 2, sum: 20 });
});

t.test('OpenAPI, /api/meta and the generated types describe it by its base kind', async (t) => {
  const docs = await get('/api/docs');
  t.match(docs.components.schemas['crm.lead.write'].properties.probability, { type: 'number', minimum: 0, maximum: 100 });
  const meta = await get('/api/meta');
  t.match(meta.models['crm.lead'].fields.probability, { type: 'percent', kind: 'number', widget: 'number', suffix: '%', min: 0, max: 100 });
});
