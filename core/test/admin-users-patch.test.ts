import t from 'tap';
import { startFixtureApp } from './helpers.ts';

const testApp = await startFixtureApp(['dir']);
t.teardown(() => testApp.close());
const admin = await testApp.signup();

const login = (email: string, password: string) =>
  testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

// Regression: the UPDATE read password_hash (coalesce), which the runtime role may not select, so every PATCH was a 404.
t.test('an admin renames a user, sets a new password, then deactivates them', async (t) => {
  const user = await testApp.addUser(admin, ['user']);
  const url = `/api/admin/users/${user.user.id}`;
  const renamed = await admin.request({ method: 'PATCH', url, payload: { name: 'Renamed' } });
  t.equal(renamed.statusCode, 200);
  t.equal(renamed.json().name, 'Renamed');

  t.equal((await admin.request({ method: 'PATCH', url, payload: { password: 'a new passphrase' } })).statusCode, 200);
  t.equal((await login(user.user.email, 'correct horse battery')).statusCode, 401, 'the old password no longer works');
  t.equal((await login(user.user.email, 'a new passphrase')).statusCode, 200);

  const deactivated = await admin.request({ method: 'PATCH', url, payload: { active: false } });
  t.equal(deactivated.statusCode, 200);
  t.equal(deactivated.json().active, false);
  t.equal((await login(user.user.email, 'a new passphrase')).statusCode, 401);
  t.equal((await user.request({ method: 'GET', url: '/api/me' })).statusCode, 401, 'the token stops working at once');
});
