import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { TestSocket } from '../core/test/socket-client.ts';
import { resolveConfig, type PlatformConfigInput, StartupError, buildApp } from '@atrium/core/platform';
import { createTestDatabase, testDatabaseKind, Database } from '@atrium/core/testing';
import { startPgBouncer } from './support/pgbouncer.ts';

/**
 * Atrium behind PgBouncer (Debian's package). Session mode needs nothing: a client keeps its server
 * connection, prepared statements and LISTEN included. Transaction mode hands each transaction any
 * server connection, so the per-connection PREPARE cache is turned off (detected, or
 * ATRIUM_DB_POOLER=transaction), and migrations and LISTEN use DATABASE_DIRECT_URL.
 */
if (testDatabaseKind() !== 'postgresql') {
  t.plan(0, 'PgBouncer pools connections to a PostgreSQL server: PGlite is embedded in the process');
} else {
  const dataDir = mkdtempSync(join(tmpdir(), 'atrium-pgbouncer-app-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const direct = new URL(process.env.ATRIUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

  /** An app node on the fixture modules; more of its pool connections than the pooler has server connections. */
  async function node(database: PlatformConfigInput['database']): Promise<FastifyInstance> {
    const app = await buildApp(
      resolveConfig(
        {
          modules: ['dir', 'sales'],
          modulesDir: FIXTURE_MODULES,
          dataDir,
          demo: false,
          logLevel: process.env.ATRIUM_TEST_LOG ?? 'silent',
          database: { poolSize: 8, ...database },
          auth: { passwordCost: 1024, rateLimitPerMinute: 10_000, secret: 'pgbouncer-test-secret-pgbouncer-test-secret' },
        },
        process.cwd(),
        {},
      ),
    );
    await app.ready();
    return app;
  }

  /**
   * Concurrent creates and updates on node `a` (each with its event, a prepared statement where the cache
   * is on), lists in between; every write is acknowledged, and a socket on node `b` sees every event.
   */
  async function writesCrossNodes(t: Test, a: FastifyInstance, b: FastifyInstance): Promise<void> {
    const signup = await a.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { company: 'Pooled', name: 'P', email: `p-${Date.now()}@example.com`, password: 'long enough password' },
    });
    t.equal(signup.statusCode, 201);
    const { token } = signup.json() as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const socket = await TestSocket.connect(b, token);
    t.teardown(() => socket.close());
    const statuses: number[] = [];
    const ids = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const created = await a.inject({ method: 'POST', url: '/api/records/dir.company', headers, payload: { name: `Company ${i}` } });
        const listed = await a.inject({ method: 'GET', url: '/api/records/dir.company?limit=5', headers });
        const updated = await a.inject({
          method: 'PATCH',
          url: `/api/records/dir.company/${created.json().id}`,
          headers,
          payload: { name: `Company ${i}, renamed` },
        });
        statuses.push(created.statusCode, listed.statusCode, updated.statusCode);
        return created.json().id as string;
      }),
    );
    t.same([...new Set(statuses)].sort(), [200, 201], 'every write and list succeeded');
    const seen = new Map<string, string[]>();
    for (const frame of await socket.take(80, 30_000))
      seen.set(frame.id as string, [...(seen.get(frame.id as string) ?? []), frame.op as string]);
    t.same(
      ids.filter((id) => seen.get(id)?.join() !== 'created,updated'),
      [],
      'node b saw each record created, then updated',
    );
  }

  t.test('session mode: prepared statements stay on, LISTEN works through the pooler', async (t) => {
    const database = await createTestDatabase();
    const bouncer = await startPgBouncer(direct.toString(), 'session', 30);
    t.teardown(async () => {
      await bouncer.stop();
      await database.drop();
    });
    const url = bouncer.urlOf(new URL(database.url!).pathname.slice(1));
    const a = await node({ url });
    t.teardown(() => a.close());
    const b = await node({ url });
    t.teardown(() => b.close());
    t.equal(a.platform.db.prepares, true, 'a session pooler is not mistaken for a transaction one');
    await writesCrossNodes(t, a, b);
  });

  t.test('transaction mode, detected: statements go unprepared, migrations and LISTEN go direct', async (t) => {
    const database = await createTestDatabase();
    const bouncer = await startPgBouncer(direct.toString(), 'transaction', 2);
    t.teardown(async () => {
      await bouncer.stop();
      await database.drop();
    });
    const url = bouncer.urlOf(new URL(database.url!).pathname.slice(1));
    const a = await node({ url, directUrl: database.url });
    t.teardown(() => a.close());
    const b = await node({ url, directUrl: database.url });
    t.teardown(() => b.close());
    t.equal(a.platform.db.prepares, false, 'detected without ATRIUM_DB_POOLER');
    await writesCrossNodes(t, a, b);

    await t.rejects(
      Database.open({ url, dataDir: 'memory://', poolSize: 1 }, () => undefined),
      new StartupError([
        'database: DATABASE_URL goes through a pooler in transaction mode: set DATABASE_DIRECT_URL to a direct connection to the same database (migrations hold a session lock, and LISTEN needs a session)',
      ]),
      'refused without a direct URL',
    );
  });

  t.test('ATRIUM_DB_POOLER=transaction turns the cache off without detection; a wrong value stops start-up', async (t) => {
    const db = await Database.open(
      { url: direct.toString(), directUrl: direct.toString(), pooler: 'transaction', dataDir: 'memory://', poolSize: 1 },
      () => undefined,
    );
    t.equal(db.prepares, false);
    await db.close();
    const plain = await Database.open({ url: direct.toString(), dataDir: 'memory://', poolSize: 1 }, () => undefined);
    t.equal(plain.prepares, true, 'a direct connection keeps the cache');
    await plain.close();
    const config = resolveConfig({}, process.cwd(), { ATRIUM_DB_POOLER: 'transactions', DATABASE_URL: direct.toString() });
    await t.rejects(
      Database.open(config.database, () => undefined),
      /ATRIUM_DB_POOLER is "transactions": it must be session or transaction/,
    );
  });
}
