import t from 'tap';
import { startFixtureApp } from './helpers.ts';
import { sql } from '../src/store/sql.ts';

/**
 * `GET /api/ready`: 200 only when the database answers, every migration is recorded and the node is not
 * draining. (A database that stops answering: test/db-restart.test.ts.)
 */
const testApp = await startFixtureApp();
t.teardown(() => testApp.close());
const ready = async () => {
  const response = await testApp.app.inject({ method: 'GET', url: '/api/ready' });
  return { status: response.statusCode, body: response.json() };
};

t.test('ready once started', async (t) => {
  t.same(await ready(), { status: 200, body: { ready: true, checks: { database: true, migrations: true, draining: false } } });
});

t.test('not ready while draining; health (liveness) is unaffected', async (t) => {
  testApp.app.lifecycle.draining = true;
  t.teardown(() => (testApp.app.lifecycle.draining = false));
  t.same(await ready(), { status: 503, body: { ready: false, checks: { database: true, migrations: true, draining: true } } });
  t.equal((await testApp.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
});

t.test('not ready when the database lacks a migration these sources need', async (t) => {
  const { db } = testApp.app.platform;
  const [row] = await db.system<{ name: string; applied_at: Date; statements: string }>(
    sql`DELETE FROM core_migrations WHERE name = 'core/0006_event_request_id.sql' RETURNING *`,
  );
  t.ok(row, 'the migration was recorded');
  t.same(await ready(), { status: 503, body: { ready: false, checks: { database: true, migrations: false, draining: false } } });
  await db.system(
    sql`INSERT INTO core_migrations (name, applied_at, statements) VALUES (${row.name}, ${row.applied_at.toISOString()}::timestamptz, ${row.statements})`,
  );
  t.equal((await ready()).status, 200);
});
