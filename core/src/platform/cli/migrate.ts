/**
 * `npm run migrate`: applies the core migrations and the module schema generated from the manifests to
 * the configured database (DATABASE_URL, else the embedded PGlite in the data folder), one line each.
 * `npm run migrate -- --status` lists what has been applied.
 */
import { exitOnStartupError, loadPlatformConfig } from '../platform-config.ts';
import { loadModules } from '../../kernel/manifest/load-modules.ts';
import { Registry } from '../../kernel/registry/registry.ts';
import { Database } from '../../store/database.ts';
import { MIGRATIONS_DIR, migrate } from '../../store/migrate.ts';
import { sql } from '../../store/sql.ts';

async function run(): Promise<void> {
  const config = await loadPlatformConfig();
  const registry = new Registry(await loadModules(config.modules, config.modulesDir));
  const db = await Database.open({ ...config.database, poolSize: 2 }, (error) => console.error(error.message));
  try {
    if (process.argv.includes('--status')) {
      const rows = await db
        .system<{ name: string; applied_at: Date }>(sql`SELECT name, applied_at FROM core_migrations ORDER BY applied_at, name`)
        .catch(() => []);
      for (const row of rows) console.log(`${row.applied_at.toISOString()}  ${row.name}`);
      if (rows.length === 0) console.log('no migration applied yet');
      return;
    }
    const applied = await migrate(db, registry, MIGRATIONS_DIR, { info: (message) => console.log(message) });
    if (applied.length === 0) console.log('the database is up to date');
  } finally {
    await db.close();
  }
}

run().catch(exitOnStartupError);
