import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../kernel/registry/registry.ts';
import type { Database } from './database.ts';
import { tablesWithoutPolicy, tenantTableSecurity } from './rls.ts';
import { sql, toText } from './sql.ts';
import { groupTotalPairs } from './group-totals-pairs.ts';
import { rebuildTotalsSql, tablesWithTotalsTriggers, totalsFingerprint } from './group-totals-ddl.ts';

/**
 * The core's own migrations (its tables and row-level security), shipped in this package. Each is recorded
 * in core_migrations as `core/<file>`, the name it has had since the folder was the repository's migrations/core.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

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

/**
 * A hash of everything the module schema is generated from. When it is the one recorded at the last
 * migration, the manifests have not changed and the (slow) schema comparison is skipped.
 */
/**
 * The columns the core adds to every model table (entities.ts), as a version: changing them changes the
 * fingerprint, so a database migrated before gets the comparison (and the new columns) once.
 * 2: the custom fields' `custom` jsonb column.
 */
const CORE_COLUMNS_VERSION = 2;

export function schemaFingerprint(registry: Registry): string {
  const models = [...registry.models.values()]
    .filter((m) => !m.system)
    .map((m) => ({
      table: m.table,
      indexes: m.indexes,
      unique: m.unique,
      fields: Object.values(m.fields).map(({ name, type, column, target, ondelete, relTable, index }) => ({
        name,
        type,
        column,
        target,
        ondelete,
        relTable,
        index,
      })),
    }));
  return createHash('sha256')
    .update(JSON.stringify({ core: CORE_COLUMNS_VERSION, models }))
    .digest('hex')
    .slice(0, 16);
}

/** Extensions the manifests need before their schema: pg_trgm for trigram indexes (a trusted extension: the database's owner may create it). */
function extensionsSql(registry: Registry): string {
  const trigram = [...registry.models.values()].some((m) => Object.values(m.fields).some((f) => f.index === 'trigram'));
  return trigram ? 'create extension if not exists pg_trgm;' : '';
}

/**
 * A `drop index` line of the diff for an index no module migration made. MikroORM's `safe` diff keeps tables and
 * columns, not indexes: it would drop every index its metadata lacks, a tenant's custom field index
 * (engine/customization) or one a DBA made by hand as well as one a manifest no longer declares. Only the
 * last kind was made by a recorded module migration (`made`).
 */
function dropsIndexMadeElsewhere(line: string, made: Set<string>): boolean {
  const dropped = /^drop index "([^"]+)";$/.exec(line.trim())?.[1];
  return dropped !== undefined && !made.has(dropped);
}

/**
 * The names of the indexes the recorded module migrations made: created, or renamed to (MikroORM renames an
 * index whose columns match a newly declared one, a hand-made one included, instead of building a second).
 */
const indexesMadeBy = (statements: string[]): Set<string> =>
  new Set(
    statements.flatMap((text) =>
      [...text.matchAll(/^(?:create (?:unique )?index "([^"]+)"|alter index "[^"]+" rename to "([^"]+)")/gm)].map((m) => m[1] ?? m[2]),
    ),
  );

/** The DDL that brings module tables in line with the manifests: new tables and columns, never a drop; no index it did not make. */
async function moduleSchemaDiff(db: Database, registry: Registry, made: Set<string>): Promise<string> {
  // Loaded only when a comparison is needed: MikroORM is the heaviest import of the server.
  const [{ MikroORM }, { entitiesFromRegistry }] = await Promise.all([import('@mikro-orm/postgresql'), import('./entities.ts')]);
  const orm = await MikroORM.init({
    clientUrl: db.directUrl,
    entities: entitiesFromRegistry(registry),
    schemaGenerator: { skipTables: [/^core_/] },
    pool: { min: 0, max: 1 },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
  });
  try {
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: true, dropTables: false });
    return diff
      .split('\n')
      .filter((line) => !dropsIndexMadeElsewhere(line, made))
      .join('\n')
      .trim();
  } finally {
    await orm.close(true);
  }
}

/** Names of the core migrations and the module schema these sources need that the database has not recorded. */
export async function pendingMigrations(db: Database, registry: Registry, migrationsDir: string): Promise<string[]> {
  const needed = [
    ...(await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).map((f) => `core/${f}`),
    `schema/${schemaFingerprint(registry)}`,
    `totals/${totalsFingerprint(groupTotalPairs(registry))}`,
  ];
  const done = await db.system<{ name: string }>(sql`SELECT name FROM core_migrations WHERE name = ANY(${needed}::text[])`);
  const recorded = new Set(done.map((r) => r.name));
  return needed.filter((name) => !recorded.has(name));
}

/**
 * Runs on every start and on `npm run migrate`: the core's SQL migrations in order, then the module
 * schema generated from the manifests (recorded with its SQL), then row-level security on any module
 * table that lacks it, then the kanban totals' triggers when the views' pairs changed (group-totals-ddl.ts). Each migration is one transaction and one log line.
 */
export async function migrate(db: Database, registry: Registry, migrationsDir: string, log: MigrationLog): Promise<string[]> {
  const applied: string[] = [];
  // A connection of its own, never through a transaction pooler: the advisory lock below belongs to a session.
  const client = await db.direct();
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
    // Under the lock: two sessions running even CREATE TABLE IF NOT EXISTS at once, one of them fails.
    await client.query(
      'CREATE TABLE IF NOT EXISTS core_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), statements text NOT NULL)',
    );
    const done = new Set((await client.query('SELECT name FROM core_migrations')).rows.map((r: { name: string }) => r.name));
    for (const file of (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort()) {
      const name = `core/${file}`;
      if (!done.has(name)) await run(name, async () => exec(await readFile(join(migrationsDir, file), 'utf8')));
    }

    const tables = moduleTables(registry);
    // New tables exist only once the diff has run, so their security is computed inside the same transaction.
    const secure = async (): Promise<string> => {
      const { rows } = await client.query(toText(tablesWithoutPolicy(tables)));
      return exec(
        rows
          .flatMap((r: { table: string }) => tenantTableSecurity(r.table))
          .map(toText)
          .join(';\n'),
      );
    };
    const stamp = new Date().toISOString();
    const fingerprint = `schema/${schemaFingerprint(registry)}`;
    if (!done.has(fingerprint)) {
      // Outside the recorded diff: MikroORM compares against the database, whose extensions it does not create.
      await exec(extensionsSql(registry)).catch((error: Error) => {
        throw new Error(`the manifests declare trigram indexes, which need the pg_trgm extension: ${error.message}`, { cause: error });
      });
      const recorded = await client.query(`SELECT statements FROM core_migrations WHERE name LIKE 'modules/%'`);
      const diff = await moduleSchemaDiff(db, registry, indexesMadeBy(recorded.rows.map((r: { statements: string }) => r.statements)));
      if (diff) {
        const touched = [
          ...new Set(
            diff
              .split('\n')
              // `create table "t"`, `alter table "t"`, `create index "i" on "t"`: the table is the last quoted name.
              .map((line) => /^(?:(?:create|alter) table|create index "[^"]+" on) "([^"]+)"/.exec(line)?.[1])
              .filter((table) => table !== undefined),
          ),
        ].sort();
        await run(`modules/${stamp} ${touched.join(', ')}`, async () => `${await exec(diff)}\n${await secure()}`);
      }
      // Not logged: it only records that the schema matches these manifests.
      await client.query(
        toText(sql`INSERT INTO core_migrations (name, statements) VALUES (${fingerprint}, '') ON CONFLICT (name) DO NOTHING`),
      );
    }
    const { rows } = await client.query(toText(tablesWithoutPolicy(tables)));
    if (rows.length > 0) await run(`security/${stamp}`, secure);
    // Kanban totals' triggers, made for the views' pairs and filled from the tables whenever the pairs differ
    // from the last ones made: only that one stays recorded, so going back to earlier pairs rebuilds too.
    const pairs = groupTotalPairs(registry);
    const totals = `totals/${totalsFingerprint(pairs)}`;
    if (!done.has(totals))
      await run(totals, async () => {
        await client.query(`DELETE FROM core_migrations WHERE name LIKE 'totals/%'`);
        const triggered = (await client.query(toText(tablesWithTotalsTriggers()))).rows.map((r: { table: string }) => r.table);
        return exec(rebuildTotalsSql(pairs, triggered).map(toText).join(';\n'));
      });
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('atrium.migrate'))`).catch(() => undefined);
    await client.end();
  }
  return applied;
}
