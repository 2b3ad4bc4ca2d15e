import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const mine = await app.signup();
const theirs = await app.signup();

const first = async (who: typeof mine, model: string) =>
  (await who.request({ method: 'GET', url: `/api/records/${model}` })).json().data[0];
const theirStage = await first(theirs, 'crm.stage');
const theirReason = await first(theirs, 'crm.lost_reason');
const theirCustomer = (await theirs.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'Theirs' } })).json();
const theirTag = (await theirs.request({ method: 'POST', url: '/api/records/crm.tag', payload: { name: 'Theirs' } })).json();
const theirLead = (await theirs.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'Secret deal' } })).json();
const myLead = (await mine.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'My deal' } })).json();

t.test("another tenant's lead and stage are not found, whatever the method", async (t) => {
  const url = `/api/records/crm.lead/${theirLead.id}`;
  t.equal((await mine.request({ method: 'GET', url })).statusCode, 404);
  t.equal((await mine.request({ method: 'PATCH', url, payload: { name: 'Mine' } })).statusCode, 404);
  t.equal((await mine.request({ method: 'POST', url: `${url}/actions/mark_won` })).statusCode, 404);
  t.equal((await mine.request({ method: 'DELETE', url })).statusCode, 404);
  t.equal((await mine.request({ method: 'GET', url: `/api/records/crm.stage/${theirStage.id}` })).statusCode, 404);
  t.equal((await mine.request({ method: 'GET', url: '/api/records/crm.lead' })).json().total, 1);
  t.equal((await theirs.request({ method: 'GET', url })).json().version, 1, 'and it is unchanged');
});

t.test("a relation to another tenant's stage, customer, tag or lost reason is refused, naming the field", async (t) => {
  const refused = async (payload: object, field: string) => {
    const response = await mine.request({ method: 'PATCH', url: `/api/records/crm.lead/${myLead.id}`, payload });
    t.equal(response.statusCode, 400, field);
    t.match(response.json().error.details, [{ field, rule: 'relation' }]);
  };
  await refused({ stage: theirStage.id }, 'stage');
  await refused({ customer: theirCustomer.id }, 'customer');
  await refused({ tags: [theirTag.id] }, 'tags');
  const lost = await mine.request({
    method: 'POST',
    url: `/api/records/crm.lead/${myLead.id}/actions/mark_lost`,
    payload: { lost_reason: theirReason.id },
  });
  t.equal(lost.statusCode, 400);
  t.match(lost.json().error.details, [{ field: 'lost_reason', rule: 'relation' }]);
});
