import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const mine = await app.signup();
const theirs = await app.signup();

const theirCompany = (
  await theirs.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'Theirs', is_company: true } })
).json();
const theirTag = (await theirs.request({ method: 'POST', url: '/api/records/contacts.tag', payload: { name: 'Theirs' } })).json();
const url = `/api/records/contacts.partner/${theirCompany.id}`;

t.test("another tenant's contact is not found, whatever the method", async (t) => {
  t.equal((await mine.request({ method: 'GET', url })).statusCode, 404);
  t.equal((await mine.request({ method: 'PATCH', url, payload: { name: 'Mine now' } })).statusCode, 404);
  t.equal((await mine.request({ method: 'DELETE', url })).statusCode, 404);
  t.equal((await mine.request({ method: 'GET', url: `/api/records/contacts.tag/${theirTag.id}` })).statusCode, 404);
  t.equal((await mine.request({ method: 'GET', url: '/api/records/contacts.partner' })).json().total, 0);
  t.equal((await theirs.request({ method: 'GET', url })).json().name, 'Theirs', 'and it is unchanged');
});

t.test("a relation to another tenant's contact or tag is refused, naming the field", async (t) => {
  const person = await mine.request({
    method: 'POST',
    url: '/api/records/contacts.partner',
    payload: { name: 'Spy', company: theirCompany.id },
  });
  t.equal(person.statusCode, 400);
  t.match(person.json().error.details, [{ field: 'company', rule: 'relation' }]);
  const tagged = await mine.request({
    method: 'POST',
    url: '/api/records/contacts.partner',
    payload: { name: 'Spy', tags: [theirTag.id] },
  });
  t.equal(tagged.statusCode, 400);
  t.match(tagged.json().error.details, [{ field: 'tags', rule: 'relation' }]);
});
