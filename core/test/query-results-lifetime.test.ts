// A query's result must die young. pg's promise-form `client.query` keeps every result alive through the
// young-generation collections until a full one (docs/decisions.md §45): each list
// request's rows were copied, promoted, and then paused the server for 7–10 ms at every scavenge. Measured
// with V8's own GC profiler: what the scavenges during a run of result-heavy queries promote to the old
// generation, against the bytes of rows those queries returned.
import t from 'tap';
import { GCProfiler } from 'node:v8';
import { createTestDatabase } from '../src/platform/testing/test-database.ts';
import { Database } from '../src/store/database.ts';
import { sql } from '../src/store/sql.ts';

const testDatabase = await createTestDatabase();
const db = await Database.open({ url: testDatabase.url, dataDir: 'memory://', poolSize: 2 }, () => {});
t.teardown(async () => {
  await db.close();
  await testDatabase.drop();
});

/** A page's worth of rows, about 50 KB of strings, as a list request reads them. */
const page = sql`SELECT repeat('x', 1000) || g AS name, g AS n FROM generate_series(1, 50) g`;
const QUERIES = 1000;

/** Bytes the scavenges promoted to the old generation while `work` ran, and how many scavenges there were. */
async function promotedDuring(work: () => Promise<void>): Promise<{ promoted: number; scavenges: number }> {
  const profiler = new GCProfiler();
  profiler.start();
  await work();
  const { statistics } = profiler.stop();
  const used = (heap: (typeof statistics)[number]['beforeGC'], space: string): number =>
    heap.heapSpaceStatistics.find((s) => s.spaceName === space)!.spaceUsedSize;
  const scavenges = statistics.filter((s) => s.gcType === 'Scavenge');
  const promoted = scavenges.reduce((sum, s) => sum + Math.max(0, used(s.afterGC, 'old_space') - used(s.beforeGC, 'old_space')), 0);
  return { promoted, scavenges: scavenges.length };
}

for (const [name, read] of [
  [
    'a transaction (as the record reader and writer send theirs)',
    async () => (await db.transaction('system', (tx) => tx.commit(page)))[0].rows,
  ],
  ['system (the owner outside any tenant)', () => db.system<{ name: string }>(page)],
] as const) {
  t.test(`${name}: results are not promoted by young-generation collections`, async (t) => {
    for (let i = 0; i < 50; i++) await read(); // warm-up: compiled code and pool connections are long-lived by nature
    let bytes = 0;
    const { promoted, scavenges } = await promotedDuring(async () => {
      for (let i = 0; i < QUERIES; i++) {
        const rows = await read();
        bytes += rows.reduce((sum, row) => sum + String(row.name).length, 0);
      }
    });
    t.ok(scavenges >= 3, `the run spans several scavenges (${scavenges})`);
    // Each query's rows are garbage once it returns: a scavenge finds at most the one being read alive.
    // With pg's promise form, about all of them were promoted (promoted ≈ bytes).
    t.ok(promoted < bytes * 0.1, `promoted ${(promoted / 1048576).toFixed(2)} MB of ${(bytes / 1048576).toFixed(2)} MB of rows`);
  });
}
