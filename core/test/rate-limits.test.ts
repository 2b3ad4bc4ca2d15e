import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { startFixtureApp } from './helpers.ts';
import { testDatabaseKind } from '../src/platform/testing/index.ts';

/*
 * Login and signup limits behind a proxy: the client is X-Forwarded-For's address only when the request
 * comes from a trusted proxy (ATRIUM_TRUST_PROXY), and the count lives in the database, so every node of
 * a cluster refuses a client that used up its attempts on another.
 */
const PROXY = '10.0.0.1';
const app = await startFixtureApp({ auth: { rateLimitPerMinute: 3 }, trustProxy: [PROXY] });
t.teardown(() => app.close());

const login = async (node: FastifyInstance, from: string, client: string): Promise<number> =>
  (
    await node.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: from,
      headers: { 'x-forwarded-for': client },
      payload: { email: 'nobody@example.com', password: 'wrong password' },
    })
  ).statusCode;
const attempts = async (node: FastifyInstance, from: string, clients: string[]): Promise<number[]> => {
  const out: number[] = [];
  for (const client of clients) out.push(await login(node, from, client));
  return out;
};

t.test('through a trusted proxy, each client address counts on its own', async (t) => {
  t.same(
    await attempts(app.app, PROXY, ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.1']),
    [401, 401, 401, 429],
    'the 4th attempt of one client is refused',
  );
  t.same(await attempts(app.app, PROXY, ['203.0.113.2', '203.0.113.2']), [401, 401], 'another client behind the same proxy is not');
});

t.test('from an address that is not a trusted proxy, X-Forwarded-For is ignored: every attempt counts together', async (t) => {
  const other = '10.0.0.2';
  t.same(
    await attempts(app.app, other, ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']),
    [401, 401, 401, 429],
    'four "clients" are one',
  );
  const refused = await app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: other,
    payload: { email: 'x@example.com', password: 'wrong password' },
  });
  t.equal(refused.json().error.code, 'rate_limited', 'in the API error shape');
});

t.test('signups have a count of their own, through the same store', async (t) => {
  const signup = async (n: number) =>
    (
      await app.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': '203.0.113.9' },
        payload: {
          company: `Limited ${n} ${Date.now()}`,
          name: 'L',
          email: `limited-${n}-${Date.now()}@example.com`,
          password: 'correct horse battery',
        },
      })
    ).statusCode;
  t.same([await signup(1), await signup(2), await signup(3), await signup(4)], [201, 201, 201, 429]);
});

t.test(
  'a limit reached on node A holds on node B',
  { skip: testDatabaseKind() === 'pglite' && 'embedded PGlite is one node by nature' },
  async (t) => {
    const b = await app.startNode();
    t.same(await attempts(app.app, PROXY, ['203.0.113.5', '203.0.113.5', '203.0.113.5']), [401, 401, 401], 'three attempts on node A');
    t.equal(await login(b, PROXY, '203.0.113.5'), 429, 'the 4th, on node B, is refused');
    t.equal(await login(b, PROXY, '203.0.113.6'), 401, 'another client is not');
  },
);
