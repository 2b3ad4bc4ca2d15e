// The pool keeps its connections while they are idle (docs/decisions.md §47). A new PostgreSQL backend's first
// tenant write costs 40–60 ms where a warm one's costs about 1 ms, and pg-pool's default closed a connection idle
// for 10 s: every burst after a quiet spell began on new backends, and its first writes were the slowest of all.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../src/platform/testing/test-database.ts';
import { Database } from '../src/store/database.ts';
import { sql } from '../src/store/sql.ts';

const testDatabase = await createTestDatabase();
const POOL = 3;
const db = await Database.open({ url: testDatabase.url, dataDir: 'memory://', poolSize: POOL }, () => {});
t.teardown(async () => {
  await db.close();
  await testDatabase.drop();
});

/** POOL transactions at once, each holding its connection a moment: the backend process of each. */
async function burst(): Promise<number[]> {
  const pids = await Promise.all(
    Array.from({ length: POOL }, () =>
      db.transaction(
        'system',
        async (tx) => (await tx.commit(sql`SELECT pg_backend_pid() AS pid FROM pg_sleep(0.1)`))[0].rows[0].pid as number,
      ),
    ),
  );
  return pids.sort((a, b) => a - b);
}

t.test('connections left idle longer than pg-pool’s 10 s default are still open, and the next burst reuses them', async (t) => {
  const first = await burst();
  t.equal(db.pool.totalCount, POOL, 'the burst opened a connection per transaction');
  await sleep(11_000);
  t.equal(db.pool.totalCount, POOL, 'after 11 s idle, every connection is still open');
  t.same(await burst(), first, 'the next burst runs on the same backends');
  t.equal(db.pool.totalCount, POOL, 'and opened none');
});
