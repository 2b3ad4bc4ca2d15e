import t from 'tap';
import { startFixtureApp } from './helpers.ts';

// sales.deal: users create anything but update only their own deals ({"owner": "$user"}), and the model
// has no beforeWrite hook, so an update goes out without reading the record first.
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup();
const alice = await app.addUser(admin, ['user']);
const bob = await app.addUser(admin, ['user']);
const stage = (await admin.request({ method: 'POST', url: '/api/records/sales.stage', payload: { name: 'S' } })).json();
const deal = (await alice.request({ method: 'POST', url: '/api/records/sales.deal', payload: { name: 'D', stage: stage.id } })).json();

t.test('a user updates a record that their conditional rule allows', async (t) => {
  const response = await alice.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { name: 'D2' } });
  t.equal(response.statusCode, 200);
  t.equal(response.json().name, 'D2');
});

t.test('the same update by a user the rule does not allow is a 403', async (t) => {
  const response = await bob.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { name: 'D3' } });
  t.equal(response.statusCode, 403);
});

t.test("a field outside the role's field list is still refused on update", async (t) => {
  const response = await alice.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { secret: 'x' } });
  t.equal(response.statusCode, 400);
  t.match(response.json().error.details, [{ field: 'secret', rule: 'forbidden' }]);
});

// sales.stage_note: users create notes only as their own author ({"author": "$user"}), which the default gives.
t.test('a create rule with a condition judges the record with its defaults', async (t) => {
  const own = await alice.request({ method: 'POST', url: '/api/records/sales.stage_note', payload: { text: 'mine' } });
  t.equal(own.statusCode, 201);
  const forged = await alice.request({
    method: 'POST',
    url: '/api/records/sales.stage_note',
    payload: { text: 'forged', author: bob.user.id },
  });
  t.equal(forged.statusCode, 403);
});

t.test("a relation to another tenant's record names its field, even though row-level security hides the key", async (t) => {
  const other = await app.signup();
  const theirs = (await other.request({ method: 'POST', url: '/api/records/dir.company', payload: { name: 'Theirs' } })).json();
  const response = await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { partner: theirs.id } });
  t.equal(response.statusCode, 400);
  t.same(response.json().error.details, [{ field: 'partner', rule: 'relation', message: 'refers to a record that does not exist' }]);
});
