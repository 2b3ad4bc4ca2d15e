import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

/*
 * The lead's search view: the manifest names the fields a search box looks in (name, customer, contact,
 * email), /api/meta serves them, and the shell's search becomes an $or of $ilike over them, run by the
 * server — a many2one matched through the display of the record it points at ("azure" finds the leads
 * of Azure Interior), under the tenant and the user's rules like any filter.
 */
const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const mine = await app.signup();
const theirs = await app.signup();

const create = async (who: typeof mine, model: string, payload: object) => {
  const response = await who.request({ method: 'POST', url: `/api/records/${model}`, payload });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json();
};
const names = async (who: typeof mine, filter: object) => {
  const response = await who.request({ method: 'GET', url: `/api/records/crm.lead?filter=${encodeURIComponent(JSON.stringify(filter))}` });
  if (response.statusCode !== 200) throw new Error(response.body);
  return response
    .json()
    .data.map((r: { name: string }) => r.name)
    .sort();
};
const search = (text: string) => ({ $or: ['name', 'customer', 'contact_name', 'email'].map((f) => ({ [f]: { $ilike: `%${text}%` } })) });

const azure = await create(mine, 'contacts.partner', { name: 'Azure Interior', is_company: true });
const deco = await create(mine, 'contacts.partner', { name: 'Deco Addict', is_company: true });
await create(mine, 'crm.lead', { name: 'Office chairs', customer: azure.id });
await create(mine, 'crm.lead', { name: 'Desks', customer: azure.id });
await create(mine, 'crm.lead', { name: 'Lamps', customer: deco.id, contact_name: 'Joel Azuremont' });
await create(mine, 'crm.lead', { name: 'Shelves', email: 'buyer@azure.example' });
await create(mine, 'crm.lead', { name: 'Azure-blue sofa' });
const theirAzure = await create(theirs, 'contacts.partner', { name: 'Azure Interior' });
await create(theirs, 'crm.lead', { name: 'Their deal', customer: theirAzure.id });

t.test('/api/meta serves the search view and the filter groups', async (t) => {
  const meta = (await mine.request({ method: 'GET', url: '/api/meta' })).json();
  t.same(meta.models['crm.lead'].search, ['name', 'customer', 'contact_name', 'email']);
  t.same(meta.models['contacts.partner'].search, ['display_name', 'email']);
  t.same(meta.models['crm.stage'].search, ['name'], 'the display by default');
  const groups = meta.views['crm.lead_kanban'].filters.map((f: { label: string; group?: string }) => [f.label, f.group ?? null]);
  t.same(groups, [
    ['Open', 'status'],
    ['My pipeline', null],
    ['Won', 'status'],
    ['Lost', 'status'],
  ]);
});

t.test('a many2one $ilike matches the display of the record it points at', async (t) => {
  t.same(await names(mine, { customer: { $ilike: '%azure%' } }), ['Desks', 'Office chairs']);
  t.same(await names(mine, { customer: { $ilike: 'deco addict' } }), ['Lamps']);
  t.same(
    await names(mine, { $not: { customer: { $ilike: '%azure%' } } }),
    ['Azure-blue sofa', 'Lamps', 'Shelves'],
    'no customer is not a match',
  );
});

t.test("searching 'azure' finds leads by name, customer, contact and email, and nothing of another tenant", async (t) => {
  t.same(await names(mine, search('azure')), ['Azure-blue sofa', 'Desks', 'Lamps', 'Office chairs', 'Shelves']);
  t.same(await names(theirs, search('azure')), ['Their deal']);
  t.same(await names(mine, search('interior')), ['Desks', 'Office chairs']);
});

t.test('the kanban columns (groups) take the same search', async (t) => {
  const response = await mine.request({
    method: 'GET',
    url: `/api/records/crm.lead/groups?by=customer&filter=${encodeURIComponent(JSON.stringify({ customer: { $ilike: '%azure%' } }))}`,
  });
  t.equal(response.statusCode, 200);
  t.same(
    response.json().data.map((g: { label: string; count: number }) => [g.label, g.count]),
    [['Azure Interior', 2]],
  );
});

t.test('$ilike on a many2many is still refused, naming the field', async (t) => {
  const response = await mine.request({
    method: 'GET',
    url: `/api/records/crm.lead?filter=${encodeURIComponent(JSON.stringify({ tags: { $ilike: '%a%' } }))}`,
  });
  t.equal(response.statusCode, 400);
  t.match(response.json().error.details, [{ field: 'filter.tags' }]);
});
