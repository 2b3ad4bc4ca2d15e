import t from 'tap';
import { call, startFixtureApp, type Answer } from './helpers.ts';
import { TestSocket } from './socket-client.ts';

/*
 * Everything that reaches the database at once, as a busy node sees it: writers patching records of one
 * tenant, parallel signups with the same company name, system queries (the login look-up, the hub's
 * catch-up of tenants with live sockets) — repeated. On embedded PGlite every pool connection shares one
 * backend: a statement or portal of one connection must never be replaced by another's. Zero errors,
 * and no request slower than 2 s.
 */
const app = await startFixtureApp({ events: { catchUpSeconds: 0.02 } });
t.teardown(() => app.close());
const admin = await app.signup('Busy');
const stage = (await call(admin, 'GET', '/api/records/sales.stage')).body.data[0].id as string;

const WRITERS = 10;
const PATCHES = 20;
const SIGNUPS = 6;
const LOGINS = 4;
// Round 0 warms up (first plans, prepared statements, JIT): its answers are checked, its times are not.
const ROUNDS = 4;
const SLOW_MS = 2000;

interface Timed {
  what: string;
  status: number;
  ms: number;
  body: unknown;
}

/** One request, timed; one that never answers counts as a failure after 30 s instead of hanging the test. */
async function timed(what: string, send: () => Promise<Answer>): Promise<Timed> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Answer>((resolve) => (timer = setTimeout(() => resolve({ status: 0, body: 'no answer within 30 s' }), 30_000)));
  const answer = await Promise.race([send(), hung]).finally(() => clearTimeout(timer));
  return { what, status: answer.status, ms: performance.now() - started, body: answer.body };
}

const deals = await Promise.all(
  Array.from(
    { length: WRITERS },
    async (_, w) => (await call(admin, 'POST', '/api/records/sales.deal', { name: `deal ${w}`, stage })).body.id as string,
  ),
);
const sockets = await Promise.all([0, 1, 2].map(() => TestSocket.connect(app.app, admin.token)));
t.teardown(() => sockets.forEach((s) => s.close()));

for (let round = 0; round < ROUNDS; round++) {
  t.test(
    `round ${round}: ${WRITERS} writers × ${PATCHES} PATCHes, ${SIGNUPS} signups of one company, ${LOGINS} logins, with 3 live sockets`,
    async (t) => {
      const company = `Same Co ${round} ${Date.now()}`;
      const writers = deals.map(async (id, w) => {
        const out: Timed[] = [];
        for (let p = 0; p < PATCHES; p++)
          out.push(
            await timed(`PATCH ${w}.${p}`, () => call(admin, 'PATCH', `/api/records/sales.deal/${id}`, { name: `r${round} w${w} p${p}` })),
          );
        return out;
      });
      const signups = Array.from({ length: SIGNUPS }, (_, s) =>
        timed(`signup ${s}`, async () => {
          const response = await app.app.inject({
            method: 'POST',
            url: '/api/auth/signup',
            payload: { company, name: 'S', email: `s${round}-${s}-${Date.now()}@example.com`, password: 'correct horse battery' },
          });
          return { status: response.statusCode, body: response.json() };
        }),
      );
      // A wrong password: the login look-up across tenants (a system query) without a write.
      const logins = Array.from({ length: LOGINS }, (_, l) =>
        timed(`login ${l}`, async () => {
          const response = await app.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: admin.user.email, password: 'wrong password' },
          });
          return { status: response.statusCode, body: response.json() };
        }),
      );
      const all = [...(await Promise.all(writers)).flat(), ...(await Promise.all(signups)), ...(await Promise.all(logins))];
      const expected = (r: Timed): number => (r.what.startsWith('signup') ? 201 : r.what.startsWith('login') ? 401 : 200);
      const wrong = all.filter((r) => r.status !== expected(r));
      t.same(
        wrong.map((r) => `${r.what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`),
        [],
        'every request answered as expected',
      );
      const slowest = `slowest ${Math.round(Math.max(...all.map((r) => r.ms)))} ms`;
      const slow = all.filter((r) => r.ms > SLOW_MS);
      if (round === 0) t.comment(`warm-up: ${slowest}`);
      else
        t.same(
          slow.map((r) => `${r.what}: ${Math.round(r.ms)} ms`),
          [],
          `no request over ${SLOW_MS} ms (${slowest})`,
        );
      const slugs = all
        .filter((r) => r.what.startsWith('signup') && r.status === 201)
        .map((r) => (r.body as { tenant: { slug: string } }).tenant.slug);
      t.equal(new Set(slugs).size, slugs.length, 'each signup got a tenant of its own');
    },
  );
}

t.test('the live sockets heard every write', async (t) => {
  const expected = WRITERS * PATCHES * ROUNDS;
  for (const socket of sockets) {
    const deadline = Date.now() + 10_000;
    const updates = (): number => socket.frames.filter((f) => f.type === 'event' && f.op === 'updated').length;
    while (updates() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    t.equal(updates(), expected, 'one event per PATCH');
  }
});
