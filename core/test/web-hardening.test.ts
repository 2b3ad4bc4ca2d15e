import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Hardened');

t.test('security headers on every response, and no CORS', async (t) => {
  for (const url of ['/api/health', '/api/records/nope.model', '/']) {
    const response = await app.app.inject({ method: 'GET', url, headers: { origin: 'https://evil.example' } });
    t.match(response.headers['content-security-policy'], /script-src 'self'/, url);
    t.match(response.headers['content-security-policy'], /frame-ancestors 'self'/);
    t.equal(response.headers['x-content-type-options'], 'nosniff');
    t.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
    t.equal(response.headers['access-control-allow-origin'], undefined, 'no CORS header, whatever the Origin');
  }
  const preflight = await app.app.inject({ method: 'OPTIONS', url: '/api/records/sales.deal', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  t.equal(preflight.headers['access-control-allow-origin'], undefined);
});

t.test('errors never carry SQL, driver messages or stacks', async (t) => {
  const stage = (await call(admin, 'GET', '/api/records/sales.stage')).body.data[0].id;
  await call(admin, 'POST', '/api/records/sales.deal', { name: 'x', stage });
  const restricted = await call(admin, 'DELETE', `/api/records/sales.stage/${stage}`);
  t.equal(restricted.status, 409);
  const text = JSON.stringify(restricted.body);
  t.notMatch(text, /constraint|violates|sales_deal_tenant|SELECT|INSERT|DELETE FROM|at \w+ \(/i);
  t.same(Object.keys(restricted.body.error).sort(), ['code', 'message']);
});

t.test('tokens rotate, and logging out refuses every earlier token at once', async (t) => {
  const user = await app.addUser(admin, ['user'], 'Rotating');
  const other = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.user.email, password: 'correct horse battery' } });
  const second = other.json().token as string;
  const refreshed = await call(user, 'POST', '/api/auth/refresh');
  t.equal(refreshed.status, 200);
  t.not(refreshed.body.token, user.token);
  const me = (token: string) => app.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
  t.equal((await me(refreshed.body.token)).statusCode, 200, 'the new token works');
  t.equal((await call(user, 'POST', '/api/auth/logout')).status, 204);
  for (const token of [user.token, second, refreshed.body.token]) t.equal((await me(token)).statusCode, 401, 'every token issued before the logout is refused');
  const again = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.user.email, password: 'correct horse battery' } });
  t.equal((await me(again.json().token)).statusCode, 200, 'a new login works');

  const reset = await call(admin, 'PATCH', `/api/admin/users/${user.user.id}`, { password: 'a brand new one' });
  t.equal(reset.status, 200);
  t.equal((await me(again.json().token)).statusCode, 401, 'a password reset ends the sessions too');
  t.equal((await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.user.email, password: 'a brand new one' } })).statusCode, 200);
});

t.test('password rules', async (t) => {
  const short = await call(admin, 'POST', '/api/admin/users', { name: 'x', email: 'short@example.com', password: '1234567', roles: ['user'] });
  t.equal(short.status, 400);
  t.match(short.body.error.details, [{ field: 'password' }]);
  t.equal((await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { password: 'short' })).status, 400);
});
