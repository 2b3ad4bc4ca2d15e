import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const user = await app.addUser(admin, ['user'], 'Sally Sales');
const manager = await app.addUser(admin, ['manager'], 'Marc Manager');

t.test('deleting a CRM tag takes it off every lead through the write path (ondelete remove): new version, history entry', async (t) => {
  const tag = (await manager.request({ method: 'POST', url: '/api/records/crm.tag', payload: { name: 'Hot' } })).json();
  const other = (await manager.request({ method: 'POST', url: '/api/records/crm.tag', payload: { name: 'Big' } })).json();
  const lead = (
    await user.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'Chairs', tags: [tag.id, other.id] } })
  ).json();
  t.equal(lead.version, 1);

  t.equal((await manager.request({ method: 'DELETE', url: `/api/records/crm.tag/${tag.id}` })).statusCode, 204);
  const after = (await user.request({ method: 'GET', url: `/api/records/crm.lead/${lead.id}` })).json();
  t.equal(after.version, 2, 'the lead has a new version');
  t.same(after.tags, [{ id: other.id, display: 'Big' }]);
  const history = (await user.request({ method: 'GET', url: `/api/records/crm.lead/${lead.id}/history` })).json().data;
  t.match(
    history.at(-1),
    { op: 'updated', actor: { id: manager.user.id }, changes: { tags: [{ id: other.id }] } },
    'and an event: who took the tag off',
  );
});
