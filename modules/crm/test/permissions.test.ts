import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const alice = await app.addUser(admin, ['user'], 'Alice');
const bob = await app.addUser(admin, ['user'], 'Bob');
const manager = await app.addUser(admin, ['manager'], 'Mia Manager');
const [reason] = (await admin.request({ method: 'GET', url: '/api/records/crm.lost_reason' })).json().data;

const alicesLead = (await alice.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: "Alice's" } })).json();
const url = `/api/records/crm.lead/${alicesLead.id}`;

t.test('a user reads every lead of the tenant', async (t) => {
  t.equal((await bob.request({ method: 'GET', url })).statusCode, 200);
  t.equal((await bob.request({ method: 'GET', url: '/api/records/crm.lead' })).json().total, 1);
});

t.test("a user cannot edit, win, lose or delete another's lead", async (t) => {
  t.equal((await bob.request({ method: 'PATCH', url, payload: { name: 'Mine' } })).statusCode, 403);
  t.equal((await bob.request({ method: 'POST', url: `${url}/actions/mark_won` })).statusCode, 403);
  t.equal((await bob.request({ method: 'POST', url: `${url}/actions/mark_lost`, payload: { lost_reason: reason.id } })).statusCode, 403);
  t.equal((await bob.request({ method: 'DELETE', url })).statusCode, 403);
  t.equal(
    (await bob.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'For Alice', salesperson: alice.user.id } }))
      .statusCode,
    403,
  );
});

t.test('a user edits their own lead but cannot hand it to someone else', async (t) => {
  t.equal((await alice.request({ method: 'PATCH', url, payload: { priority: '2' } })).statusCode, 200);
  t.equal((await alice.request({ method: 'PATCH', url, payload: { salesperson: bob.user.id } })).statusCode, 403);
});

t.test("a manager does everything, on anyone's lead", async (t) => {
  t.equal((await manager.request({ method: 'PATCH', url, payload: { salesperson: bob.user.id } })).statusCode, 200);
  t.equal((await bob.request({ method: 'PATCH', url, payload: { name: 'Now mine' } })).statusCode, 200, 'the new salesperson may edit it');
  t.equal((await manager.request({ method: 'POST', url: `${url}/actions/mark_won` })).statusCode, 200);
  t.equal((await manager.request({ method: 'DELETE', url })).statusCode, 204);
});
