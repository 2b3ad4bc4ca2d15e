import t from 'tap';
import { createHmac } from 'node:crypto';
import { sql } from '../src/store/sql.ts';
import { kdf } from '../src/engine/auth/password.ts';
import { startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const inject = app.app.inject.bind(app.app);
const signup = (payload: object) => inject({ method: 'POST', url: '/api/auth/signup', payload });
const login = (payload: object) => inject({ method: 'POST', url: '/api/auth/login', payload });
const me = (token: string) => inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });

/** A HS256 token signed by hand, to try what @fastify/jwt must refuse. */
function forge(header: object, payload: object, secret = 'test-secret-test-secret-test-secret'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part(header)}.${part(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

t.test('signup creates a tenant with a unique slug and its first admin', async (t) => {
  const first = await signup({ company: 'Café Olé GmbH', name: 'Ana', email: 'Ana@Example.com', password: 'long password' });
  t.equal(first.statusCode, 201);
  const body = first.json();
  t.match(body, {
    token: String,
    user: { name: 'Ana', email: 'ana@example.com', roles: ['admin'] },
    tenant: { slug: 'cafe-ole-gmbh', name: 'Café Olé GmbH', currency: 'USD' },
  });
  const second = await signup({ company: 'Café Olé GmbH', name: 'Bo', email: 'bo@example.com', password: 'long password' });
  t.equal(second.json().tenant.slug, 'cafe-ole-gmbh-2');
  const whoami = await me(body.token);
  t.equal(whoami.statusCode, 200);
  t.match(whoami.json(), {
    user: { id: body.user.id },
    tenant: { id: body.tenant.id },
    roles: ['admin'],
    modules: ['dir', 'sales'],
    abilities: Array,
  });
  const [row] = await app.app.platform.db.system<{ password_hash: string }>(
    sql`SELECT password_hash FROM core_users WHERE id = ${body.user.id}::uuid`,
  );
  t.match(row.password_hash, /^scrypt\$\d+\$8\$1\$/, 'the password is stored as a scrypt hash');
  t.notMatch(row.password_hash, 'long password');
});

t.test('signup refuses bad input, naming the field', async (t) => {
  const short = await signup({ company: 'X', name: 'X', email: 'x@example.com', password: 'short' });
  t.equal(short.statusCode, 400);
  t.match(short.json().error, { code: 'validation_failed', details: [{ field: 'password' }] });
  const email = await signup({ company: 'X', name: 'X', email: 'not an email', password: 'long password' });
  t.match(email.json().error.details, [{ field: 'email' }]);
  for (const blank of ['', '   ', '\t\n']) {
    const answer = await signup({ company: blank, name: blank, email: 'x@example.com', password: 'long password' });
    t.equal(answer.statusCode, 400, JSON.stringify(blank));
    t.same(
      answer
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort(),
      ['company', 'name'],
      'a blank company or name is refused, naming them',
    );
  }
  const extra = await signup({ company: 'X', name: 'X', email: 'x@example.com', password: 'long password', tenant_id: 'x' });
  t.equal(extra.statusCode, 400, 'unknown fields are refused, not dropped');
});

t.test('login: one answer for a wrong password and an unknown email; several tenants need a slug, offered with their names', async (t) => {
  await signup({ company: 'Twin One', name: 'T', email: 'twin@example.com', password: 'same password' });
  await signup({ company: 'Twin Two', name: 'T', email: 'twin@example.com', password: 'same password' });
  const wrong = await login({ email: 'twin@example.com', password: 'nope nope' });
  const unknown = await login({ email: 'nobody@example.com', password: 'nope nope' });
  t.equal(wrong.statusCode, 401);
  t.same(wrong.json(), unknown.json());
  const ambiguous = await login({ email: 'twin@example.com', password: 'same password' });
  t.equal(ambiguous.statusCode, 400);
  t.same(ambiguous.json().error.code, 'tenant_required');
  t.same(
    ambiguous.json().error.details,
    [
      { slug: 'twin-one', name: 'Twin One' },
      { slug: 'twin-two', name: 'Twin Two' },
    ],
    'the companies by name, with the slug the next attempt sends',
  );
  const chosen = await login({ email: 'TWIN@example.com', password: 'same password', tenant: 'twin-two' });
  t.equal(chosen.statusCode, 200);
  t.equal(chosen.json().tenant.slug, 'twin-two');
  t.equal((await me(chosen.json().token)).json().tenant.slug, 'twin-two');
});

t.test('a wrong password costs one key derivation, however many companies the email belongs to', async (t) => {
  // Counted through the derivation itself: a timing test on a shared machine would be noise.
  const derive = kdf.scrypt;
  let derivations = 0;
  kdf.scrypt = (...args) => (derivations++, derive(...args));
  t.teardown(() => {
    kdf.scrypt = derive;
  });
  const cost = async (email: string): Promise<number> => {
    derivations = 0;
    t.equal((await login({ email, password: 'wrong password' })).statusCode, 401);
    return derivations;
  };
  await cost('warm-up@example.com');
  t.equal(await cost('nobody-at-all@example.com'), 1, 'an unknown email');
  for (let companies = 1; companies <= 3; companies++) {
    t.equal(
      (await signup({ company: `Many ${companies}`, name: 'M', email: 'many@example.com', password: `password ${companies}` })).statusCode,
      201,
    );
    t.equal(await cost('many@example.com'), 1, `an email of ${companies} companies`);
  }
  // Each company's own password still finds its account, with the email alone.
  for (let companies = 1; companies <= 3; companies++) {
    const right = await login({ email: 'many@example.com', password: `password ${companies}` });
    t.equal(right.statusCode, 200);
    t.equal(right.json().tenant.name, `Many ${companies}`);
  }
  // An account added by an admin, and a password changed by one, join the email's salt too.
  const admin = (await signup({ company: 'Many 4', name: 'A', email: 'many-admin@example.com', password: 'long password' })).json();
  const added = await inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: { authorization: `Bearer ${admin.token}` },
    payload: { name: 'X', email: 'MANY@example.com', password: 'password 4', roles: ['user'] },
  });
  t.equal(added.statusCode, 201);
  t.equal(await cost('many@example.com'), 1, 'an email of 4 accounts, one added by an admin');
  const changed = await inject({
    method: 'PATCH',
    url: `/api/admin/users/${added.json().id}`,
    headers: { authorization: `Bearer ${admin.token}` },
    payload: { password: 'password 5' },
  });
  t.equal(changed.statusCode, 200);
  t.equal(await cost('many@example.com'), 1, 'after a password change');
  t.equal((await login({ email: 'many@example.com', password: 'password 5' })).statusCode, 200);
});

t.test('tokens: missing, forged, alg none, expired and of another key are all 401', async (t) => {
  const { user, tenant } = (await signup({ company: 'Tokens', name: 'T', email: 'tok@example.com', password: 'long password' })).json();
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: user.id, tid: tenant.id, iat: now, iss_ms: Date.now() };
  t.equal(
    (await me(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 60 }))).statusCode,
    200,
    'a well-signed token works (the forge is right)',
  );
  t.equal((await inject({ method: 'GET', url: '/api/me' })).statusCode, 401);
  t.equal((await me('garbage')).statusCode, 401);
  t.equal((await me(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now - 5 }))).statusCode, 401, 'expired');
  t.equal((await me(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 60 }, 'another-secret'))).statusCode, 401, 'another key');
  t.equal((await me(forge({ alg: 'HS256', typ: 'JWT' }, claims))).statusCode, 401, 'no exp: a token that would never expire');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, exp: now + 60 })).toString('base64url')}.`;
  t.equal((await me(none)).statusCode, 401, 'alg none');
  const error = (await me('garbage')).json().error;
  t.same(error.code, 'unauthorized');
});

t.test('login and signup attempts are rate-limited per IP address', async (t) => {
  const limited = await startFixtureApp({ auth: { rateLimitPerMinute: 3 } });
  t.teardown(() => limited.close());
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++)
    statuses.push(
      (await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x@example.com', password: 'whatever1' } }))
        .statusCode,
    );
  t.same(statuses, [401, 401, 401, 429, 429]);
  const blocked = await limited.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'x@example.com', password: 'whatever1' },
  });
  t.same(blocked.json().error.code, 'rate_limited');
});
