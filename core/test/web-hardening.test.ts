import t from 'tap';
import { call, FIXTURE_MODULES, startFixtureApp } from './helpers.ts';
import { startTestApp } from '../src/platform/testing/index.ts';

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
  const preflight = await app.app.inject({
    method: 'OPTIONS',
    url: '/api/records/sales.deal',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  t.equal(preflight.headers['access-control-allow-origin'], undefined);
  // Answers the router gives before any hook (a malformed URL, an over-long id) carry them too, in the API shape.
  for (const url of ['/api/records/%ZZ', `/api/records/sales.deal/${'a'.repeat(200)}`]) {
    const response = await app.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin.token}` } });
    t.equal(response.statusCode, 404, url);
    t.same(response.json(), { error: { code: 'not_found', message: 'Not found' } });
    t.equal(response.headers['x-content-type-options'], 'nosniff');
    t.match(response.headers['content-security-policy'], /frame-ancestors 'self'/);
  }
});

t.test('configured origins open the websocket to them, never CORS', async (t) => {
  const open = await startFixtureApp({ origins: ['https://erp.example.com'] });
  t.teardown(() => open.close());
  for (const method of ['OPTIONS', 'GET'] as const) {
    const response = await open.app.inject({
      method,
      url: '/api/health',
      headers: { origin: 'https://erp.example.com', 'access-control-request-method': 'GET' },
    });
    t.equal(response.headers['access-control-allow-origin'], undefined, method);
    t.equal(response.headers['access-control-allow-credentials'], undefined, method);
  }
});

t.test('errors thrown by module hooks are a bare 500: no message, SQL, driver detail or stack', async (t) => {
  const faulty = await startTestApp({ modules: ['faulty'], modulesDir: FIXTURE_MODULES });
  t.teardown(() => faulty.close());
  const owner = await faulty.signup('Faulty');
  const thing = await call(owner, 'POST', '/api/records/faulty.thing', { name: 'fine' });
  t.equal(thing.status, 201);
  const failures = [
    await call(owner, 'POST', '/api/records/faulty.thing', { name: 'throw' }),
    await call(owner, 'POST', '/api/records/faulty.thing', { name: 'driver' }),
    await call(owner, 'PATCH', `/api/records/faulty.thing/${thing.body.id}`, { name: 'reject' }),
    await call(owner, 'DELETE', `/api/records/faulty.thing/${thing.body.id}`),
    await call(owner, 'POST', `/api/records/faulty.thing/${thing.body.id}/actions/explode`),
  ];
  for (const failure of failures) {
    t.equal(failure.status, 500);
    t.same(failure.body, { error: { code: 'internal', message: 'Internal error' } });
  }
  t.notMatch(JSON.stringify(failures), /secret|SELECT|password|relation|hook\.ts|stack|Cannot read/i);
  t.equal((await call(owner, 'GET', `/api/records/faulty.thing/${thing.body.id}`)).body.name, 'fine', 'nothing was written');
});

t.test('signups are rate-limited per IP address too, with their own budget', async (t) => {
  const limited = await startFixtureApp({ auth: { rateLimitPerMinute: 2 } });
  t.teardown(() => limited.close());
  const signup = (i: number) =>
    limited.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { company: `Rate ${i}`, name: 'R', email: `rate${i}@example.com`, password: 'long enough' },
    });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await signup(i)).statusCode);
  t.same(statuses, [201, 201, 429, 429]);
  const refused = await signup(9);
  t.same(refused.json(), { error: { code: 'rate_limited', message: 'Too many attempts, try again later' } });
  t.equal(refused.headers['x-content-type-options'], 'nosniff');
  const login = await limited.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'rate0@example.com', password: 'long enough' },
  });
  t.equal(login.statusCode, 200, 'logins are counted apart');
});

t.test('a token expires after the configured lifetime, and cannot be refreshed then', async (t) => {
  const short = await startFixtureApp({ auth: { tokenTtlSeconds: 3 } });
  t.teardown(() => short.close());
  const user = await short.signup('Short lived');
  const me = (token: string) => short.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
  t.equal((await me(user.token)).statusCode, 200, 'valid at first');
  const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number };
  t.equal(claims(user.token).exp - claims(user.token).iat, 3, 'the lifetime is the configured one');
  await new Promise((r) => setTimeout(r, (claims(user.token).exp + 1) * 1000 - Date.now()));
  const expired = await me(user.token);
  t.equal(expired.statusCode, 401);
  t.same(expired.json().error.code, 'unauthorized');
  t.equal(
    (await short.app.inject({ method: 'POST', url: '/api/auth/refresh', headers: { authorization: `Bearer ${user.token}` } })).statusCode,
    401,
    'an expired token cannot be refreshed',
  );
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
  const other = await app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.user.email, password: 'correct horse battery' },
  });
  const second = other.json().token as string;
  const refreshed = await call(user, 'POST', '/api/auth/refresh');
  t.equal(refreshed.status, 200);
  t.not(refreshed.body.token, user.token);
  const me = (token: string) => app.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
  t.equal((await me(refreshed.body.token)).statusCode, 200, 'the new token works');
  t.equal((await call(user, 'POST', '/api/auth/logout')).status, 204);
  for (const token of [user.token, second, refreshed.body.token])
    t.equal((await me(token)).statusCode, 401, 'every token issued before the logout is refused');
  const again = await app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.user.email, password: 'correct horse battery' },
  });
  t.equal((await me(again.json().token)).statusCode, 200, 'a new login works');

  const reset = await call(admin, 'PATCH', `/api/admin/users/${user.user.id}`, { password: 'a brand new one' });
  t.equal(reset.status, 200);
  t.equal((await me(again.json().token)).statusCode, 401, 'a password reset ends the sessions too');
  t.equal(
    (await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.user.email, password: 'a brand new one' } }))
      .statusCode,
    200,
  );
});

t.test('password rules: 8 to 200 characters, on signup, new users and resets', async (t) => {
  const short = await call(admin, 'POST', '/api/admin/users', {
    name: 'x',
    email: 'short@example.com',
    password: '1234567',
    roles: ['user'],
  });
  t.equal(short.status, 400);
  t.match(short.body.error.details, [{ field: 'password' }]);
  t.equal((await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { password: 'short' })).status, 400);
  for (const password of ['1234567', 'x'.repeat(201)]) {
    const signup = await app.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { company: 'Weak', name: 'W', email: 'weak@example.com', password },
    });
    t.equal(signup.statusCode, 400, `a password of ${password.length} characters`);
    t.match(signup.json().error.details, [{ field: 'password' }]);
  }
  t.equal(
    (await call(admin, 'POST', '/api/admin/users', { name: 'x', email: 'long@example.com', password: 'x'.repeat(201), roles: ['user'] }))
      .status,
    400,
  );
});
