import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { testDatabaseKind } from '../src/platform/testing/index.ts';
import { setTenantPlan } from '../src/platform/platform-api.ts';
import type { SignedIn } from '../src/platform/testing/index.ts';
import { RequestRate } from '../src/engine/plans/request-rate.ts';
import { call, startFixtureApp } from './helpers.ts';
import { TestSocket } from './socket-client.ts';

/**
 * A plan's API requests per minute: every authenticated request of the tenant counts, on the node that
 * serves it, against the plan read from the cached session (no database round trip); over it, `429
 * rate_limited` naming the limit, with Retry-After. A plan change reaches every node through the bus.
 */
const OPERATOR = { email: 'ops@example.com', password: 'operator password' };
const METRICS = 'metrics-token-metrics-token';
const testApp = await startFixtureApp({
  operator: OPERATOR,
  metrics: { token: METRICS },
  plans: {
    default: 'roomy',
    list: { tiny: { label: 'Tiny', limits: { requestsPerMinute: 5 } }, roomy: { label: 'Roomy', limits: { requestsPerMinute: 10_000 } } },
  },
});
t.teardown(() => testApp.close());
const { app } = testApp;
// A second node on the same database (PostgreSQL only: PGlite is one process).
const nodeB = testDatabaseKind() === 'postgresql' ? await testApp.startNode() : undefined;

const onTiny = async (company: string): Promise<SignedIn> => {
  const admin = await testApp.signup(company);
  await setTenantPlan(app.platform, admin.tenant.id, 'tiny');
  return admin;
};
const list = (who: SignedIn, node: FastifyInstance = app) =>
  node.inject({ method: 'GET', url: '/api/records/dir.company', headers: { authorization: `Bearer ${who.token}` } });
/** The statuses of n parallel requests, sorted: which of them the limit refuses depends on the order they are served. */
const statuses = async (who: SignedIn, n: number, node: FastifyInstance = app): Promise<number[]> =>
  (await Promise.all(Array.from({ length: n }, () => list(who, node)))).map((r) => r.statusCode).sort((a, b) => a - b);

t.test('over the plan: 429 rate_limited naming the limit, with Retry-After; another tenant goes on', async (t) => {
  const admin = await onTiny('Busy Co');
  const other = await onTiny('Quiet Co');
  const answers = await statuses(admin, 12);
  t.equal(answers.filter((s) => s === 200).length, 5, 'parallel requests: exactly the plan’s 5 pass');
  t.equal(answers.filter((s) => s === 429).length, 7);
  const refused = await list(admin);
  t.equal(refused.statusCode, 429);
  const retryAfter = Number(refused.headers['retry-after']);
  t.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After in seconds (${retryAfter})`);
  const { error } = refused.json();
  t.equal(error.code, 'rate_limited');
  t.same(error.details, [{ limit: 'requests_per_minute', max: 5, current: 5 }]);
  t.match(error.message, /plan allows 5 requests per minute/);
  t.same(await statuses(other, 5), [200, 200, 200, 200, 200], 'another tenant on the same plan has its own count');
  t.equal((await call(other, 'GET', '/api/records/dir.company')).status, 429, 'and its own limit');
});

t.test('health, metrics, the websocket, login, /api/me and the operator are neither counted nor refused', async (t) => {
  const admin = await onTiny('Limited Co');
  const operator = (await app.inject({ method: 'POST', url: '/api/operator/login', payload: OPERATOR })).json().token as string;
  const uncounted = async (when: string): Promise<void> => {
    for (const url of ['/api/health', '/api/ready']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `${when}: ${url}`);
    const metrics = await app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${METRICS}` } });
    t.equal(metrics.statusCode, 200, `${when}: metrics`);
    t.equal((await call(admin, 'GET', '/api/me')).status, 200, `${when}: /api/me`);
    const socket = await TestSocket.connect(app, admin.token);
    t.type(socket.cursor, 'string', `${when}: the websocket opens`);
    socket.close();
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: admin.user.email, password: 'correct horse battery' },
    });
    t.equal(login.statusCode, 200, `${when}: login`);
    const tenants = await app.inject({ method: 'GET', url: '/api/operator/tenants', headers: { authorization: `Bearer ${operator}` } });
    t.equal(tenants.statusCode, 200, `${when}: the operator`);
  };
  t.same(await statuses(admin, 4), [200, 200, 200, 200]);
  await uncounted('under the limit');
  t.same(await statuses(admin, 2), [200, 429], 'the fifth request of the minute is still allowed: none of those counted');
  await uncounted('over the limit');
});

t.test('an upgrade lifts the limit at the next request; a downgrade brings it back', async (t) => {
  const admin = await onTiny('Upgraded Co');
  await statuses(admin, 5);
  t.equal((await list(admin)).statusCode, 429);
  await setTenantPlan(app.platform, admin.tenant.id, 'roomy');
  t.same(await statuses(admin, 20), Array(20).fill(200), 'at once, without waiting for the minute');
  await setTenantPlan(app.platform, admin.tenant.id, 'tiny');
  t.equal((await list(admin)).statusCode, 429, 'the minute’s requests still count');
});

t.test(
  'a second node counts its own requests and picks up a plan change through the bus',
  { skip: !nodeB && 'PostgreSQL only' },
  async (t) => {
    const admin = await onTiny('Two Nodes Co');
    t.same(await statuses(admin, 6, nodeB), [200, 200, 200, 200, 200, 429], 'node B holds the limit');
    t.equal((await list(admin, app)).statusCode, 200, 'node A counts its own (docs/decisions.md: at most nodes × the limit)');
    const operator = (await app.inject({ method: 'POST', url: '/api/operator/login', payload: OPERATOR })).json().token as string;
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/operator/tenants/${admin.tenant.id}`,
      headers: { authorization: `Bearer ${operator}` },
      payload: { plan: 'roomy' },
    });
    t.equal(patched.statusCode, 200, 'the operator upgrades it on node A');
    const deadline = Date.now() + 5_000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      status = (await list(admin, nodeB)).statusCode;
      if (status === 429) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    t.equal(status, 200, 'node B serves the tenant again within moments, not after its cache’s minute');
  },
);

t.test('the sliding window: the previous minute weighs as much of it as still lies in the last 60 s', async (t) => {
  const rate = new RequestRate();
  const start = 1_000_000;
  for (let i = 0; i < 5; i++) t.equal(rate.take('a', 5, start + i), 0);
  t.equal(rate.take('a', 5, start + 10), 60, 'this window alone is full: wait for the next one to weigh it 0');
  t.equal(rate.current('a', start + 10), 5);
  t.ok(rate.take('a', 5, start + 60_000) > 0, 'at the next window the previous one still weighs in whole');
  t.equal(rate.current('a', start + 60_000 + 12_000), 4, 'after 12 s of it, it weighs 4/5');
  t.equal(rate.take('a', 5, start + 60_000 + 6_000), 0, 'after 6 s it weighs 4.5: one more passes');
  t.equal(rate.take('a', 5, start + 60_000 + 6_000), 6, 'the next once it has faded to 4, 12 s in');
  t.ok(rate.take('a', 5, start + 60_000 + 11_000) > 0);
  t.equal(rate.take('a', 5, start + 60_000 + 12_001), 0);
  t.equal(rate.take('a', 5, start + 180_000), 0, 'two silent windows: nothing weighs');
  t.equal(rate.take('b', 0, start), 60, 'a plan of 0 requests per minute allows none');
});
