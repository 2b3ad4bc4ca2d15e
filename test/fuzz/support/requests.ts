import fc from 'fast-check';
import { anyJson, nastyString } from './values.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD';

export interface HostileRequest {
  method: Method;
  path: string;
  contentType: string | null;
  body: string | null;
  /** The Authorization header made from the caller's token (or none). */
  authorization: (token: string) => string | undefined;
  extra: Record<string, string> | null;
}

/**
 * Requests as a hostile client sends them, on the routes of the API with `models` and `someId` filled
 * in: any method, odd content types and authorization headers (`otherToken` is another tenant's), bodies
 * that are not JSON, half JSON, JSON nested 100,000 deep, over a megabyte, with NUL bytes or prototype keys.
 */
export function hostileRequest(models: string[], someId: string, otherToken: string): fc.Arbitrary<HostileRequest> {
  const segment = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...models) },
    fc.constantFrom(someId, 'groups', 'history', '..', '%2e%2e', '%00', '%ZZ', '%', 'A'.repeat(150), '__proto__', 'constructor', ';', '*'),
    fc.uuid(),
    // A lone surrogate cannot be percent-encoded: its would-be UTF-8 bytes go instead.
    nastyString.map((s) => {
      try {
        return encodeURIComponent(s);
      } catch {
        return '%ED%A0%80';
      }
    }),
  );
  // Routes of the API with their parameters filled in, and some paths that are no route. Not /auth/logout
  // (it would end the admin's session) and not the admin's own user (a random body could deactivate it).
  const path = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(segment, segment, segment)
        .chain(([a, b, c]) =>
          fc.constantFrom(
            `/api/records/${a}`,
            `/api/records/${a}/${b}`,
            `/api/records/${a}/${b}/history`,
            `/api/records/${a}/${b}/actions/${c}`,
            `/api/records/${a}/groups?by=${b}`,
            `/api/admin/modules/${a}`,
            `/api/admin/roles/${b}`,
            `/api/admin/users/${b}`,
          ),
        ),
    },
    fc.constantFrom(
      '/api/auth/login',
      '/api/auth/signup',
      '/api/auth/refresh',
      '/api/me',
      '/api/meta',
      '/api/health',
      '/api/admin/modules',
      '/api/admin/roles',
      '/api/admin/users',
      '/api/admin/settings',
      '/api/admin/usage',
      '/api/admin/plan',
      '/api/docs',
      '/api/ws',
      '/api',
      '/api/',
      '/api//records',
      '/api/records',
      '/api/nope',
      '//',
      '/api/records/%',
    ),
  );

  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'APPLICATION/JSON',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/jsonx',
    '',
    ';;;',
    'application/json; boundary=',
  );

  const body = fc.oneof(
    { weight: 3, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null') },
    fc
      .dictionary(
        fc.constantFrom('name', 'email', 'password', 'company', 'enabled', 'roles', 'permissions', 'active', '__proto__'),
        anyJson,
        { maxKeys: 4 },
      )
      .map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '',
      '{',
      '{"a":',
      '{"a":1}}',
      "{'a':1}",
      '\u0000',
      '{"a":"\u0000"}',
      '\uFEFF{}',
      'NaN',
      '[1,]',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      'a=1&b=2',
      '<xml/>',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
    ),
    fc.constantFrom(1_000, 100_000).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.constantFrom(1_000, 100_000).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    fc.constant(`{"name": "${'x'.repeat(1024 * 1024)}"}`),
  );

  const authorization = fc.constantFrom<(token: string) => string | undefined>(
    (token) => `Bearer ${token}`,
    (token) => `Bearer ${token}`,
    (token) => `bearer ${token}`,
    () => undefined,
    () => 'Bearer ',
    () => 'Bearer x.y.z',
    () => 'Basic YWRtaW46YWRtaW4=',
    () => `Bearer ${otherToken}`,
    (token) => `Bearer ${token}x`,
    (token) => `Bearer  ${token}`,
    (token) => token,
  );

  return fc.record({
    method: fc.constantFrom<Method>('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'),
    path,
    contentType: fc.option(contentType),
    body: fc.option(body, { freq: 4 }),
    authorization,
    extra: fc.option(
      fc.constantFrom<Record<string, string>>(
        { 'if-match': '"1"' },
        { 'if-match': 'x' },
        { accept: 'text/html' },
        { 'accept-encoding': 'gzip' },
        { 'x-forwarded-for': '1.2.3.4' },
        { 'accept-version': '2' },
        { origin: 'https://evil.example' },
        { 'content-encoding': 'gzip' },
        { 'transfer-encoding': 'chunked' },
      ),
    ),
  });
}
