import t from 'tap';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { TestSocket } from '../core/test/socket-client.ts';
import { createTestDatabase } from '@atrium/core/testing';
import { makeProject, startServerProcess } from './support/server-process.ts';

/**
 * SIGTERM with ATRIUM_DRAIN_SECONDS: readiness turns 503 at once while the node goes on serving (a proxy takes it
 * out meanwhile), then its sockets are closed with 1001 and the process ends.
 */
const database = await createTestDatabase();
t.teardown(() => database.drop());
const root = makeProject({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: 'data' });
const server = await startServerProcess(root, { ATRIUM_DRAIN_SECONDS: '3', ...(database.url ? { DATABASE_URL: database.url } : {}) });
t.teardown(() => server.stop());

t.test('draining: not ready, still serving, then sockets closed with 1001 and the process gone', async (t) => {
  const signup = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company: 'Drained', name: 'D', email: 'drain@example.com', password: 'long enough password' }),
  });
  const { token } = (await signup.json()) as { token: string };
  t.equal((await fetch(`${server.url}/api/ready`)).status, 200, 'ready before');
  const socket = await TestSocket.connect(server.url, token);
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  const stoppedAt = Date.now();
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  const ready = await fetch(`${server.url}/api/ready`);
  t.equal(ready.status, 503, 'not ready while draining');
  t.same(await ready.json(), { ready: false, checks: { database: true, migrations: true, draining: true } });
  t.equal((await fetch(`${server.url}/api/health`)).status, 200, 'alive');
  const listed = await fetch(`${server.url}/api/records/dir.company`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(listed.status, 200, 'requests are still served');
  t.equal(socket.ws.readyState, socket.ws.OPEN, 'sockets stay open during the drain');
  const closed = await socket.closed;
  t.equal(closed.code, 1001, 'then closed as going away');
  t.ok(Date.now() - stoppedAt >= 2900, `after the drain (${Date.now() - stoppedAt} ms)`);
  await exited;
  t.equal(server.child.exitCode, 0, 'the process ended cleanly');
});
