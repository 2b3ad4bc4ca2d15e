import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../core/src/config.ts';
import { buildApp } from '../core/src/server.ts';
import { testDatabaseKind } from '../core/src/testing/test-database.ts';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createCluster } from './support/pg-cluster.ts';

/**
 * PostgreSQL restarts under load: meanwhile the server says it is unhealthy and answers 503 (never a
 * 500), then recovers by itself.
 */
if (testDatabaseKind() !== 'postgresql') {
  t.pass('PGlite is embedded in the server process: there is no separate database server to restart');
} else {
  const cluster = await createCluster();
  t.teardown(() => cluster.drop());
  const config = resolveConfig({
    modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: mkdtempSync(join(tmpdir(), 'atrium-restart-')), demo: false, logLevel: 'silent',
    database: { url: cluster.url, poolSize: 4 }, auth: { passwordCost: 1024, secret: 'restart-test-secret-restart-test-secret' },
  }, process.cwd(), {});
  const app = await buildApp(config);
  await app.ready();
  t.teardown(() => app.close());
  const signup = (await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { company: 'Restart', name: 'A', email: 'r@example.com', password: 'long enough' } })).json();
  const auth = { authorization: `Bearer ${signup.token}` };
  const stage = (await app.inject({ method: 'GET', url: '/api/records/sales.stage', headers: auth })).json().data[0].id;
  const write = (name: string) => app.inject({ method: 'POST', url: '/api/records/sales.deal', headers: auth, payload: { name, stage } });
  const health = async () => (await app.inject({ method: 'GET', url: '/api/health' }));

  t.test('unhealthy and 503 while the database is down, recovered by itself after', async (t) => {
    const statuses = new Map<number, number>();
    let running = true;
    let n = 0;
    const load = (async () => {
      while (running) {
        const status = (await write(`load ${n++}`)).statusCode;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    cluster.stop();
    const down = await health();
    t.equal(down.statusCode, 503);
    t.match(down.json(), { ok: false, database: 'postgresql' });
    const refused = await write('while down');
    t.equal(refused.statusCode, 503);
    t.same(refused.json().error.code, 'unavailable');
    t.equal((await app.inject({ method: 'GET', url: '/api/records/sales.deal', headers: auth })).statusCode, 503);

    cluster.start();
    const deadline = Date.now() + 30_000;
    while ((await health()).statusCode !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    t.equal((await health()).statusCode, 200, 'healthy again');
    const after = await write('after the restart');
    t.equal(after.statusCode, 201, 'writes work again without a restart of the app');
    running = false;
    await load;
    t.same([...statuses.keys()].filter((s) => s !== 201 && s !== 503), [], `only 201 and 503 under load (${JSON.stringify(Object.fromEntries(statuses))})`);
    t.ok((statuses.get(503) ?? 0) > 0 && (statuses.get(201) ?? 0) > 0, 'the load saw both');
  });
}
