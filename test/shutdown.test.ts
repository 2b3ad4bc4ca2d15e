import t from 'tap';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { FIXTURE_MODULES, startFixtureApp } from '../core/test/helpers.ts';
import { TestSocket } from '../core/test/socket-client.ts';
import { createTestDatabase, testDatabaseKind } from '@atrium/core/testing';
import { makeProject, startServerProcess, type ServerProcess } from './support/server-process.ts';

/**
 * SIGTERM on a real process: it stops accepting, closes its sockets with 1001, lets the requests in flight
 * finish, and exits 0 — or, when something never ends (a client that never sends the rest of its body,
 * a query waiting on a lock), exits 1 at ATRIUM_SHUTDOWN_SECONDS. A request reaching a stopping node gets
 * a 503 in the API's error shape. (The drain before all this: test/drain.test.ts.)
 */
const database = await createTestDatabase();
t.teardown(() => database.drop());
const env: Record<string, string> = database.url ? { DATABASE_URL: database.url } : {};

async function start(shutdownSeconds: number): Promise<{ server: ServerProcess; token: string }> {
  const root = makeProject({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: 'data' });
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const server = await startServerProcess(root, { ...env, ATRIUM_SHUTDOWN_SECONDS: String(shutdownSeconds) });
  t.teardown(() => server.crash());
  const signup = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      company: `Stop ${Date.now()}`,
      name: 'S',
      email: `stop-${Date.now()}@example.com`,
      password: 'long enough password',
    }),
  });
  return { server, token: ((await signup.json()) as { token: string }).token };
}

/** A POST whose headers and first half of the body are sent now, the rest when asked: a request in flight. */
function halfSent(
  server: ServerProcess,
  token: string,
  path: string,
  body: object,
): { finish(): void; answer: Promise<{ status: number; body: string }> } {
  const { port } = new URL(server.url);
  const text = JSON.stringify(body);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text.slice(0, 5)}`,
  );
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => undefined);
  const answer = new Promise<{ status: number; body: string }>((resolve) =>
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(received)?.[1] ?? 0), body: received.split('\r\n\r\n')[1] ?? '' }),
    ),
  );
  return { finish: () => socket.write(text.slice(5)), answer };
}

const exitOf = (server: ServerProcess): Promise<{ code: number | null; ms: number }> => {
  const since = Date.now();
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) resolve({ code: server.child.exitCode, ms: 0 });
    server.child.once('exit', (code) => resolve({ code, ms: Date.now() - since }));
  });
};
const refused = (url: string): Promise<boolean> =>
  fetch(`${url}/api/health`).then(
    () => false,
    () => true,
  );

t.test('in flight at SIGTERM: the request finishes, sockets close with 1001, nothing new is accepted, exit 0', async (t) => {
  const { server, token } = await start(10);
  const socket = await TestSocket.connect(server.url, token);
  const request = halfSent(server, token, '/api/records/dir.company', { name: 'Finished while stopping' });
  await new Promise((r) => setTimeout(r, 300)); // the headers are in: the request is in flight
  const exited = exitOf(server);
  server.child.kill('SIGTERM');
  t.equal((await socket.closed).code, 1001, 'the socket is closed as going away');
  t.ok(await refused(server.url), 'new connections are refused');
  request.finish();
  const answer = await request.answer;
  t.equal(answer.status, 201, 'the request in flight is answered');
  t.match(JSON.parse(answer.body), { name: 'Finished while stopping' });
  const { code, ms } = await exited;
  t.equal(code, 0, `then the process ends cleanly (${ms} ms)`);
});

t.test('a request that never ends does not hold the process past ATRIUM_SHUTDOWN_SECONDS', async (t) => {
  const { server, token } = await start(2);
  const request = halfSent(server, token, '/api/records/dir.company', { name: 'Never finished' });
  await new Promise((r) => setTimeout(r, 300));
  const exited = exitOf(server);
  server.child.kill('SIGTERM');
  const { code, ms } = await exited;
  t.equal(code, 1, 'exit 1: work was abandoned');
  t.ok(ms >= 1800 && ms < 5000, `at the deadline (${ms} ms)`);
  t.match(server.output(), /shutdown deadline reached/, 'and says so');
  await request.answer;
});

t.test(
  'a query stuck on a lock does not hold the process past ATRIUM_SHUTDOWN_SECONDS',
  { skip: testDatabaseKind() === 'pglite' && 'needs a second session on the database to hold the lock' },
  async (t) => {
    const { server, token } = await start(2);
    const created = await fetch(`${server.url}/api/records/dir.company`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Locked' }),
    });
    const { id } = (await created.json()) as { id: string };
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    t.teardown(() => locker.end());
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM dir_company WHERE id = $1 FOR UPDATE', [id]);
    const stuck = fetch(`${server.url}/api/records/dir.company/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Waits' }),
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    const exited = exitOf(server);
    server.child.kill('SIGTERM');
    const { code, ms } = await exited;
    t.equal(code, 1, 'exit 1: the query was abandoned');
    t.ok(ms < 5000, `at the deadline (${ms} ms)`);
    await locker.query('ROLLBACK');
    await stuck;
  },
);

t.test('a request reaching a stopping node: 503 in the API error shape, with the security headers, connection closed', async (t) => {
  const app = await startFixtureApp();
  t.teardown(() => app.close());
  app.app.lifecycle.stopping = true;
  const answer = await app.app.inject({ method: 'GET', url: '/api/health' });
  t.equal(answer.statusCode, 503);
  t.same(answer.json(), { error: { code: 'unavailable', message: 'This server is shutting down, try again shortly' } });
  t.equal(answer.headers.connection, 'close');
  t.ok(answer.headers['x-content-type-options'], 'security headers');
});
