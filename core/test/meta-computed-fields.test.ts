import t from 'tap';
import { startFixtureApp } from './helpers.ts';

t.test('/api/meta marks the fields the server sets as computed, apart from those a user may not write', async (t) => {
  const app = await startFixtureApp();
  t.teardown(() => app.close());
  const admin = await app.signup();
  const user = await app.addUser(admin, ['user']);
  const line = (await admin.request({ method: 'GET', url: '/api/meta' })).json().models['sales.line'].fields;
  t.equal(line.total.computed, true, 'a declared read-only field is computed');
  t.equal(line.total.readonly, true, 'and read-only');
  t.notOk('computed' in line.description, 'a writable field is not');
  const stage = (await user.request({ method: 'GET', url: '/api/meta' })).json().models['sales.stage'].fields;
  t.same([stage.name.readonly, 'computed' in stage.name], [true, false], 'a field this role may not write is read-only, not computed');
});
