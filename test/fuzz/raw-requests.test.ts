import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import platform from '../../platform.config.ts';
import { startTestApp } from '../../core/src/testing/index.ts';
import { anyJson, nastyString } from './support/values.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot, watchProcess } from './support/oracle.ts';

/**
 * Requests as a hostile client sends them: any method on any route (and on paths that are none), odd
 * content types and authorization headers, bodies that are not JSON, half JSON, JSON nested 100,000
 * deep, over a megabyte, with NUL bytes or prototype keys. No 5xx, every error in the API.md shape with
 * the security headers, and nothing refused changes the tenant's data.
 */
const app = await startTestApp({ modules: platform.modules });
t.teardown(() => app.close());
const admin = await app.signup('Raw');
const other = await app.signup('Other');
const watch = watchProcess();
t.teardown(() => watch.stop());

const models = [...app.app.platform.registry.models.keys()];
const someId = (await admin.request({ method: 'GET', url: '/api/records/contacts.partner?limit=1' })).json().data[0]?.id ?? '00000000-0000-4000-8000-000000000000';

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...models) },
  fc.constantFrom(someId, 'groups', 'history', '..', '%2e%2e', '%00', '%ZZ', '%', 'A'.repeat(150), '__proto__', 'constructor', ';', '*'),
  fc.uuid(),
  // A lone surrogate cannot be percent-encoded: its would-be UTF-8 bytes go instead.
  nastyString.map((s) => { try { return encodeURIComponent(s); } catch { return '%ED%A0%80'; } }),
);
// Routes of the API with their parameters filled in, and some paths that are no route. Not /auth/logout
// (it would end the admin's session) and not the admin's own user (a random body could deactivate it).
const path = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(segment, segment, segment).chain(([a, b, c]) => fc.constantFrom(
    `/api/records/${a}`, `/api/records/${a}/${b}`, `/api/records/${a}/${b}/history`, `/api/records/${a}/${b}/actions/${c}`, `/api/records/${a}/groups?by=${b}`,
    `/api/admin/modules/${a}`, `/api/admin/roles/${b}`, `/api/admin/users/${b}`,
  )) },
  fc.constantFrom('/api/auth/login', '/api/auth/signup', '/api/auth/refresh', '/api/me', '/api/meta', '/api/health', '/api/admin/modules', '/api/admin/roles',
    '/api/admin/users', '/api/admin/settings', '/api/admin/usage', '/api/docs', '/api/ws', '/api', '/api/', '/api//records', '/api/records', '/api/nope', '//', '/api/records/%'),
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', '', ';;;', 'application/json; boundary=');

const body = fc.oneof(
  { weight: 3, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null') },
  fc.dictionary(fc.constantFrom('name', 'email', 'password', 'company', 'enabled', 'roles', 'permissions', 'active', '__proto__'), anyJson, { maxKeys: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('', '{', '{"a":', '{"a":1}}', "{'a':1}", '\u0000', '{"a":"\u0000"}', '\uFEFF{}', 'NaN', '[1,]', '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}', 'a=1&b=2', '<xml/>', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'),
  fc.constantFrom(1_000, 100_000).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.constantFrom(1_000, 100_000).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.constant(`{"name": "${'x'.repeat(1024 * 1024)}"}`),
);

const authorization = fc.constantFrom<(token: string) => string | undefined>(
  (token) => `Bearer ${token}`, (token) => `Bearer ${token}`, (token) => `bearer ${token}`, () => undefined, () => 'Bearer ', () => 'Bearer x.y.z',
  () => 'Basic YWRtaW46YWRtaW4=', () => `Bearer ${other.token}`, (token) => `Bearer ${token}x`, (token) => `Bearer  ${token}`, (token) => token,
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD') as fc.Arbitrary<'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD'>,
  path,
  contentType: fc.option(contentType),
  body: fc.option(body, { freq: 4 }),
  authorization,
  extra: fc.option(fc.constantFrom<Record<string, string>>({ 'if-match': '"1"' }, { 'if-match': 'x' }, { accept: 'text/html' }, { 'accept-encoding': 'gzip' },
    { 'x-forwarded-for': '1.2.3.4' }, { 'accept-version': '2' }, { origin: 'https://evil.example' }, { 'content-encoding': 'gzip' }, { 'transfer-encoding': 'chunked' })),
});

t.test(`hostile requests (seed ${SEED})`, async (t) => {
  let before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<number, number> = {};
  await fc.assert(fc.asyncProperty(request, async (r) => {
    const auth = r.authorization(admin.token);
    const headers: Record<string, string> = { ...(r.contentType === null ? {} : { 'content-type': r.contentType }), ...(auth === undefined ? {} : { authorization: auth }), ...r.extra };
    const response = await app.app.inject({ method: r.method, url: r.path, headers, ...(r.body === null ? {} : { payload: r.body }) });
    outcomes[response.statusCode] = (outcomes[response.statusCode] ?? 0) + 1;
    const said = `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 200)} ${String(r.body).slice(0, 100)}`;
    if (response.headers['x-content-type-options'] !== 'nosniff') throw new Error(`${said}: a ${response.statusCode} without the security headers`);
    if (r.method === 'HEAD') {
      if (response.statusCode >= 500) throw new Error(`${said}: ${response.statusCode}`);
      return;
    }
    const problem = problemWith(response);
    if (problem) throw new Error(`${said}: ${problem}`);
    const after = await tenantSnapshot(app.app, admin.tenant.id);
    if (response.statusCode >= 400 && !isDeepStrictEqual(after, before)) throw new Error(`${said}: refused with ${response.statusCode} but changed the tenant`);
    before = after;
  }), fuzzParameters(800));
  t.ok((outcomes[200] ?? 0) > 5 && (outcomes[400] ?? 0) > 50 && (outcomes[401] ?? 0) > 50 && (outcomes[404] ?? 0) > 50, `a spread of answers: ${JSON.stringify(outcomes)}`);
  t.same(watch.failures, [], 'no unhandled rejection or uncaught exception');
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted');
});
