import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const user = await app.addUser(admin, ['user']);
const manager = await app.addUser(admin, ['manager']);

const post = (who: typeof admin, model: string, payload: object) => who.request({ method: 'POST', url: `/api/records/${model}`, payload });
const patch = (who: typeof admin, id: string, payload: object) =>
  who.request({ method: 'PATCH', url: `/api/records/contacts.partner/${id}`, payload });
const get = async (id: string) => (await admin.request({ method: 'GET', url: `/api/records/contacts.partner/${id}` })).json();

t.test('a company shows its name; a person of a company shows "Company, Name"', async (t) => {
  const acme = (await post(user, 'contacts.partner', { name: 'Acme', is_company: true })).json();
  const john = (await post(user, 'contacts.partner', { name: 'John Smith', company: acme.id, email: 'john@acme.example' })).json();
  t.equal(acme.display_name, 'Acme');
  t.equal(john.display_name, 'Acme, John Smith');
  t.same(john.company, { id: acme.id, display: 'Acme' });
  t.equal(john.archived, false);
  t.same(
    (await get(acme.id)).contacts.map((c: { name: string }) => c.name),
    ['John Smith'],
  );
});

t.test("renaming a company renames its people's display names; moving a person changes theirs", async (t) => {
  const acme = (await post(user, 'contacts.partner', { name: 'Acme', is_company: true })).json();
  const globex = (await post(user, 'contacts.partner', { name: 'Globex', is_company: true })).json();
  const jane = (await post(user, 'contacts.partner', { name: 'Jane Doe', company: acme.id })).json();
  const renamed = await patch(user, acme.id, { name: 'Acme Corp' });
  t.equal(renamed.json().display_name, 'Acme Corp');
  t.equal((await get(jane.id)).display_name, 'Acme Corp, Jane Doe');
  t.equal((await patch(user, jane.id, { company: globex.id })).json().display_name, 'Globex, Jane Doe');
  t.equal((await patch(user, jane.id, { name: 'Jane Roe' })).json().display_name, 'Globex, Jane Roe');
  t.equal((await patch(user, jane.id, { company: null })).json().display_name, 'Jane Roe');
});

t.test('a person belongs to a company, never to a person or to themselves', async (t) => {
  const ana = (await post(user, 'contacts.partner', { name: 'Ana' })).json();
  const bob = await post(user, 'contacts.partner', { name: 'Bob', company: ana.id });
  t.equal(bob.statusCode, 400);
  t.match(bob.json().error.details, [{ field: 'company', rule: 'company' }]);
  const acme = (await post(user, 'contacts.partner', { name: 'Acme', is_company: true })).json();
  const self = await patch(user, acme.id, { company: acme.id });
  t.match(self.json().error.details, [{ field: 'company', rule: 'self' }]);
});

t.test('a company with people cannot become a person', async (t) => {
  const acme = (await post(user, 'contacts.partner', { name: 'Acme', is_company: true })).json();
  await post(user, 'contacts.partner', { name: 'Jane', company: acme.id });
  const response = await patch(user, acme.id, { is_company: false });
  t.equal(response.statusCode, 409);
  t.match(response.json().error.message, /still has contacts/);
});

t.test('address, website, notes, tags with colours and the archived flag are stored', async (t) => {
  const vip = (await post(user, 'contacts.tag', { name: 'VIP', color: 3 })).json();
  const payload = {
    name: 'Initech',
    is_company: true,
    street: '1 Main St',
    street2: 'Floor 2',
    zip: '10001',
    city: 'New York',
    country: 'United States',
    website: 'https://initech.example',
    phone: '+1 555 0100',
    notes: 'Prefers email',
    tags: [vip.id],
  };
  const created = (await post(user, 'contacts.partner', payload)).json();
  t.match(created, { ...payload, tags: [{ id: vip.id, display: 'VIP' }] });
  t.equal(vip.color, 3);
  t.equal((await patch(user, created.id, { archived: true })).json().archived, true);
  const active = await user.request({
    method: 'GET',
    url: `/api/records/contacts.partner?filter=${encodeURIComponent(JSON.stringify({ archived: false, name: 'Initech' }))}`,
  });
  t.equal(active.json().total, 0);
  t.equal((await post(user, 'contacts.tag', { name: 'VIP' })).statusCode, 409, 'tag names are unique per tenant');
  t.equal((await post(user, 'contacts.tag', { name: 'Bad', color: 12 })).statusCode, 400, 'colours are 0 to 11');
});

t.test('the display name is set by the server only', async (t) => {
  const response = await post(user, 'contacts.partner', { name: 'X', display_name: 'Y' });
  t.equal(response.statusCode, 400);
  t.match(response.json().error.details, [{ field: 'display_name', rule: 'readonly' }]);
});

t.test('users create and edit contacts; deleting them is for managers', async (t) => {
  const partner = (await post(user, 'contacts.partner', { name: 'Temp' })).json();
  t.equal((await user.request({ method: 'DELETE', url: `/api/records/contacts.partner/${partner.id}` })).statusCode, 403);
  t.equal((await manager.request({ method: 'DELETE', url: `/api/records/contacts.partner/${partner.id}` })).statusCode, 204);
});
