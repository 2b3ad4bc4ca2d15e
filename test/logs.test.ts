import t from 'tap';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { TestSocket } from '../core/test/socket-client.ts';
import { createTestDatabase } from '@atrium/core/testing';
import { makeProject, startServerProcess } from './support/server-process.ts';

/** Structured logs (JSON lines) of a real server process never hold a password or a token. */
const database = await createTestDatabase();
t.teardown(() => database.drop());
const root = makeProject({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: 'data', logLevel: 'info' });
const server = await startServerProcess(root, database.url ? { DATABASE_URL: database.url } : {});
t.teardown(() => server.stop());

t.test('passwords and tokens stay out of the logs', async (t) => {
  const password = 'hunter2-but-longer';
  const signup = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company: 'Logs', name: 'L', email: 'logs@example.com', password }),
  });
  const { token } = (await signup.json()) as { token: string };
  await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'logs@example.com', password: 'wrong-password-123' }),
  });
  await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  await fetch(`${server.url}/api/ws?token=${token}`);
  await fetch(`${server.url}/api/records/nope.model?token=${token}&x=1`, { headers: { authorization: `Bearer ${token}` } });
  // An admin sets a user's password, then resets it; the user's token is refreshed; a refused login names the field.
  const json = (method: string, url: string, body: unknown) =>
    fetch(`${server.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const created = (await (
    await json('POST', '/api/admin/users', { name: 'U', email: 'u@example.com', password: 'first-secret-pass', roles: ['user'] })
  ).json()) as { id: string };
  await json('PATCH', `/api/admin/users/${created.id}`, { password: 'second-secret-pass' });
  const { token: refreshed } = (await (await json('POST', '/api/auth/refresh', {})).json()) as { token: string };
  await json('POST', '/api/auth/login', { email: 'u@example.com', password: `too-long-secret-${'y'.repeat(200)}` });
  await new Promise((r) => setTimeout(r, 300));
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'));
  t.ok(lines.length > 5, 'the server logs requests as JSON lines');
  t.ok(
    lines.every((line) => {
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    }),
    'every log line is JSON',
  );
  const all = lines.join('\n');
  t.notMatch(all, password);
  t.notMatch(all, 'wrong-password-123');
  for (const secret of ['first-secret-pass', 'second-secret-pass', 'too-long-secret']) t.notMatch(all, secret);
  t.notMatch(all, refreshed.split('.')[2], 'no refreshed token');
  t.notMatch(all, token.split('.')[2], 'no token signature');
  t.notMatch(all, token.split('.')[1], 'no token payload');
  t.match(all, /"url":"\/api\/records\/nope\.model\?token=\[redacted\]&x=1"/, 'query tokens are replaced');
});

t.test('a request id on every log line of its request, on its response and on the events it caused', async (t) => {
  const signup = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company: 'Traced', name: 'T', email: 'traced@example.com', password: 'long enough password' }),
  });
  const { token } = (await signup.json()) as { token: string };
  const socket = await TestSocket.connect(server.url, token);
  t.teardown(() => socket.close());
  const create = (name: string, requestId?: string) =>
    fetch(`${server.url}/api/records/dir.company`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify({ name }),
    });
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const [name, sent, kept] of [
    ['Forwarded', 'proxy-trace.42', true],
    ['Generated', undefined, false],
    ['Malformed', 'has spaces; and more', false],
    ['Too long', 'x'.repeat(65), false],
  ] as const) {
    const response = await create(name, sent);
    t.equal(response.status, 201, name);
    const id = response.headers.get('x-request-id')!;
    if (kept) t.equal(id, sent, `${name}: the proxy's id is kept`);
    else t.match(id, uuid, `${name}: a fresh UUID`);
    const record = (await response.json()) as { id: string };
    const frames = await socket.until(record.id);
    t.equal(frames.at(-1)!.request_id, id, `${name}: the event carries it`);
    await new Promise((r) => setTimeout(r, 100));
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.includes(`"reqId":"${id}"`))
      .map((line) => JSON.parse(line) as { msg: string });
    t.same(
      lines.map((l) => l.msg),
      ['incoming request', 'request completed'],
      `${name}: both log lines of the request`,
    );
  }
});
