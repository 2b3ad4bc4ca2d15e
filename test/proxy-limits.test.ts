import t, { type Test } from 'tap';
import { request } from 'node:http';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase, testDatabaseKind } from '@atrium/core/testing';
import { startHaProxy } from './support/haproxy.ts';
import { startNodes, stopNodes } from './support/node-cluster.ts';

/**
 * Login limits behind a real proxy (issue 21 §4): two nodes behind HAProxy, which passes each client's address
 * in X-Forwarded-For, and two clients connecting from different loopback addresses. With ATRIUM_TRUST_PROXY
 * naming the proxy, each client has its own limit, counted by both nodes together (round robin sends the
 * attempts of one client to both); without it, the nodes see only the proxy, and the clients share one.
 */
const LIMIT = 3;
const CLIENT_A = '127.0.0.2';
const CLIENT_B = '127.0.0.3';

/** A wrong-password login through the proxy, from a given local address: the status. */
function login(url: string, from: string): Promise<number> {
  const body = JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' });
  return new Promise((resolve, reject) => {
    const sent = request(
      `${url}/api/auth/login`,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

async function attempts(url: string, from: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await login(url, from));
  return out;
}

async function behindProxy(t: Test, env: Record<string, string>): Promise<string> {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const nodes = await startNodes(
    2,
    database.url!,
    { modules: ['dir'], modulesDir: FIXTURE_MODULES, auth: { passwordCost: 1024, rateLimitPerMinute: LIMIT } },
    env,
  );
  t.teardown(() => stopNodes(nodes));
  const proxy = await startHaProxy(nodes.map((n) => n.url));
  t.teardown(() => proxy.stop());
  return proxy.url;
}

if (testDatabaseKind() !== 'postgresql') {
  t.plan(0, 'several nodes need PostgreSQL: PGlite is one process');
} else {
  t.test('trusting the proxy: each client address has its own limit, shared by both nodes', async (t) => {
    const url = await behindProxy(t, { ATRIUM_TRUST_PROXY: '127.0.0.1' });
    t.same(
      await attempts(url, CLIENT_A, LIMIT + 1),
      [401, 401, 401, 429],
      `client A's attempt ${LIMIT + 1} is refused, whichever node gets it`,
    );
    t.same(await attempts(url, CLIENT_B, 2), [401, 401], 'client B, behind the same proxy, is not');
  });

  t.test("not trusting it: the nodes see one address, the proxy's, and both clients share its limit", async (t) => {
    const url = await behindProxy(t, {});
    t.same(await attempts(url, CLIENT_A, LIMIT), [401, 401, 401]);
    t.same(await attempts(url, CLIENT_B, 1), [429], 'client B is refused for what client A did');
  });
}
