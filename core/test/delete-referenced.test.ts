import t from 'tap';
import { startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup();

t.test('deleting a record that a many2one still refers to is a 409, not a 500', async (t) => {
  const stage = (await admin.request({ method: 'POST', url: '/api/records/sales.stage', payload: { name: 'S' } })).json();
  await admin.request({ method: 'POST', url: '/api/records/sales.deal', payload: { name: 'D', stage: stage.id } });
  const response = await admin.request({ method: 'DELETE', url: `/api/records/sales.stage/${stage.id}` });
  t.equal(response.statusCode, 409);
  t.same(response.json().error, { code: 'conflict', message: 'This record is still referenced by sales.deal records' });
});
