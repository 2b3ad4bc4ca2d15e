import t from 'tap';
import { loadModules } from '../src/kernel/manifest/load-modules.ts';
import { Registry } from '../src/kernel/registry/registry.ts';
import { createTestDatabase, testDatabaseKind } from '../src/platform/testing/test-database.ts';
import { Database } from '../src/store/database.ts';
import { migrate, MIGRATIONS_DIR } from '../src/store/migrate.ts';
import { FIXTURE_MODULES } from './helpers.ts';

/**
 * Nodes started together on an empty database (a cluster's first start): one migrates, the others wait
 * for it and find nothing left to do. Nothing may run before the lock: even `CREATE TABLE IF NOT EXISTS`
 * fails when two sessions run it at once ("duplicate key value violates … pg_type").
 */
const quiet = { info: () => undefined };

if (testDatabaseKind() !== 'postgresql') {
  t.plan(0, 'PGlite has one owner: nothing starts together with it');
} else {
  t.test('four nodes migrating one empty database at once all succeed, and each migration is applied once', async (t) => {
    const registry = new Registry(await loadModules(['dir'], FIXTURE_MODULES));
    for (let round = 0; round < 3; round++) {
      const database = await createTestDatabase();
      const dbs = await Promise.all(
        Array.from({ length: 4 }, () => Database.open({ url: database.url, dataDir: 'memory://', poolSize: 2 }, () => undefined)),
      );
      try {
        const applied = await Promise.all(dbs.map((db) => migrate(db, registry, MIGRATIONS_DIR, quiet)));
        const names = applied.flat();
        t.equal(new Set(names).size, names.length, `round ${round}: no migration applied twice (${names.length} in all)`);
        t.equal(applied.filter((a) => a.length > 0).length, 1, 'one node applied them, the others found them done');
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await database.drop();
      }
    }
  });
}
