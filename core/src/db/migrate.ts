import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Registry } from '../manifest/registry.ts';
import { entitiesFromRegistry } from '../manifest/entities.ts';
import type { Database } from './database.ts';
import { tablesWithoutPolicy, tenantTableSecurity } from './rls.ts';
import { sql, toText } from './sql.ts';

export interface MigrationLog {
  info(message: string): void;
}

/** Module tables (and many2many join tables) the registry needs. */
function moduleTables(registry: Registry): string[] {
  const tables: string[] = [];
  for (const model of registry.models.values()) {
    if (model.system) continue;
    tables.push(model.table);
    for (const field of Object.values(model.fields)) if (field.relTable) tables.push(field.relTable);
  }
  return tables;
}

/** The DDL that brings module tables in line with the manifests: new tables and columns, never a drop. */
async function moduleSchemaDiff(db: Database, registry: Registry): Promise<string> {
  const orm = await MikroORM.init({
    clientUrl: db.url,
    entities: entitiesFromRegistry(registry),
    schemaGenerator: { skipTables: [/^core_/] },
    pool: { min: 0, max: 1 },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
  });
  try {
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: true, dropTables: false });
    return diff.trim();
  } finally {
    await orm.close(true);
  }
}

/**
 * Runs on every start and on `npm run migrate`: the core's SQL migrations in order, then the module
 * schema generated from the manifests (recorded with its SQL), then row-level security on any module
 * table that lacks it. Each migration is one transaction and one log line.
 */
export async function migrate(db: Database, registry: Registry, migrationsDir: string, log: MigrationLog): Promise<string[]> {
  const applied: string[] = [];
  await db.system(sql`CREATE TABLE IF NOT EXISTS core_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), statements text NOT NULL)`);
  const client = await db.pool.connect();
  const exec = async (statements: string): Promise<string> => {
    if (statements) await client.query(statements);
    return statements;
  };
  /** One migration: its statements (which may depend on earlier ones) in one transaction, recorded, logged. */
  const run = async (name: string, work: () => Promise<string>): Promise<void> => {
    await client.query('BEGIN');
    try {
      const statements = await work();
      await client.query(toText(sql`INSERT INTO core_migrations (name, statements) VALUES (${name}, ${statements})`));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
    applied.push(name);
    log.info(`migration ${name} applied`);
  };
  try {
    // Two nodes starting together: the second waits here, then finds nothing left to do.
    await client.query(`SELECT pg_advisory_lock(hashtext('atrium.migrate'))`);
    const done = new Set((await client.query('SELECT name FROM core_migrations')).rows.map((r: { name: string }) => r.name));
    const coreDir = join(migrationsDir, 'core');
    for (const file of (await readdir(coreDir)).filter((f) => f.endsWith('.sql')).sort()) {
      const name = `core/${file}`;
      if (!done.has(name)) await run(name, async () => exec(await readFile(join(coreDir, file), 'utf8')));
    }

    const tables = moduleTables(registry);
    // New tables exist only once the diff has run, so their security is computed inside the same transaction.
    const secure = async (): Promise<string> => {
      const { rows } = await client.query(toText(tablesWithoutPolicy(tables)));
      return exec(rows.flatMap((r: { table: string }) => tenantTableSecurity(r.table)).map(toText).join(';\n'));
    };
    const diff = await moduleSchemaDiff(db, registry);
    const stamp = new Date().toISOString();
    if (diff) {
      const touched = [...new Set(diff.split('\n').filter((line) => /^(create|alter) table/.test(line)).map((line) => line.split('"')[1]))].sort();
      await run(`modules/${stamp} ${touched.join(', ')}`, async () => `${await exec(diff)}\n${await secure()}`);
    } else {
      const { rows } = await client.query(toText(tablesWithoutPolicy(tables)));
      if (rows.length > 0) await run(`security/${stamp}`, secure);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('atrium.migrate'))`).catch(() => undefined);
    client.release();
  }
  return applied;
}
