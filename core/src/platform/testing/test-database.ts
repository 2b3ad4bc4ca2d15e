import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Database } from '../../store/database.ts';

/** Which database the suite runs on: ATRIUM_TEST_DB=postgresql (ATRIUM_TEST_DATABASE_URL) or pglite (default). */
export const testDatabaseKind = (): 'postgresql' | 'pglite' => (process.env.ATRIUM_TEST_DB === 'postgresql' ? 'postgresql' : 'pglite');

const adminUrl = (): string => process.env.ATRIUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The suite run (set by scripts/test.ts): what a run creates carries it in its name, so the run can
 * remove exactly its own databases and files at the end, whoever else shares the server.
 */
export const TEST_RUN_VARIABLE = 'ATRIUM_TEST_RUN';
const run = (): string | undefined => process.env[TEST_RUN_VARIABLE];

/** A new run id: a timestamp (base 36, so leftovers can be aged by their name) and some randomness. */
export const newTestRun = (): string => `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

const TEMPLATE_DB = 'atrium_tpl_';
const FILE_DB = 'atrium_test_';
const TEMPLATE_FILE = 'atrium-template-';
/** Prefixes of what test files leave in the temporary folder: templates, data folders, project folders. */
const TEMP_PREFIXES = [TEMPLATE_FILE, 'atrium-test-', 'atrium-process-', 'atrium-restart-', 'atrium-migrate-'];

/** `prefix` + this run's id (when there is one) + `rest`. */
const named = (prefix: string, separator: string, rest: string): string => `${prefix}${run() ? `${run()}${separator}` : ''}${rest}`;

export interface TestDatabase {
  /** DATABASE_URL for the app, or undefined for an in-memory PGlite. */
  url: string | undefined;
  /** For PGlite: the dump of an already migrated database to start from. */
  template: string | undefined;
  drop(): Promise<void>;
}

/**
 * An already migrated database, shared by the test files of one run with the same schema (`key`) as a
 * starting point: migrating once instead of once per file keeps the suite fast. Each file still gets a
 * database of its own, copied from it. The key covers everything that shapes the schema (see
 * index.ts), so a change to a migration, the RLS code or a manifest never meets an old template.
 */
export interface MigratedTemplate {
  key: string;
  migrate(db: Database): Promise<void>;
}

const urlOf = (name: string): string => {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Where the PostgreSQL pass would run, without its password. */
export const testServerLabel = (): string => adminUrl().replace(/\/\/[^@]*@/, '//');

/** Whether the PostgreSQL the suite uses answers (a machine with only Node has none). */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** The PGlite dump of a migrated database, made by the first test file that needs it. */
async function pgliteTemplate(template: MigratedTemplate): Promise<string> {
  const file = join(tmpdir(), `${named(TEMPLATE_FILE, '-', template.key)}.tar`);
  if (existsSync(file)) return file;
  const db = await Database.open({ dataDir: 'memory://', poolSize: 2 }, () => undefined);
  try {
    await template.migrate(db);
    const dump = await db.embedded!.db.dumpDataDir('none');
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await db.close();
  }
  return file;
}

/** A PostgreSQL template database, migrated under a temporary name and renamed when done (first one wins). */
async function postgresTemplate(template: MigratedTemplate): Promise<string> {
  const name = named(TEMPLATE_DB, '_', template.key);
  const exists = await admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows.length > 0);
  if (exists) return name;
  const building = `${name}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${building}`));
  const db = await Database.open({ url: urlOf(building), dataDir: 'memory://', poolSize: 2 }, () => undefined);
  try {
    await template.migrate(db);
  } finally {
    await db.close();
  }
  await admin(async (c) => {
    try {
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch {
      await c.query(`DROP DATABASE IF EXISTS ${building}`); // another test file built it first
    }
  });
  return name;
}

/** A database of its own for one test file: PostgreSQL or in-memory PGlite, migrated when a template is given. */
export async function createTestDatabase(template?: MigratedTemplate): Promise<TestDatabase> {
  if (testDatabaseKind() === 'pglite')
    return { url: undefined, template: template && (await pgliteTemplate(template)), drop: async () => {} };
  const name = named(FILE_DB, '_', randomBytes(6).toString('hex'));
  const from = template ? ` TEMPLATE ${await postgresTemplate(template)}` : '';
  await admin((c) => c.query(`CREATE DATABASE ${name}${from}`));
  return {
    url: urlOf(name),
    template: undefined,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** When a run id says it started (its base-36 timestamp), or undefined for a name without one. */
function runStartedAt(name: string): number | undefined {
  const match = /^(?:atrium_tpl_|atrium_test_|atrium-template-)r([0-9a-z]{8})[0-9a-f]{6}[_-]/.exec(name);
  return match ? parseInt(match[1], 36) : undefined;
}

export interface Cleanup {
  databases: string[];
  files: string[];
  /** What could not be looked at (the PostgreSQL server is down, say): said, not fatal. */
  problems: string[];
}

/**
 * Removes what test runs leave behind: every database and temporary file of the run `runId` (the run
 * that just ended), and those of any run — or of a file run on its own — older than `olderThanMs`
 * (a test file that was killed never dropped its database). Databases in use are left alone.
 */
export async function cleanUpTestDatabases(options: { runId?: string; olderThanMs: number; postgres?: boolean }): Promise<Cleanup> {
  const done: Cleanup = { databases: [], files: [], problems: [] };
  const cutoff = Date.now() - options.olderThanMs;
  const stale = (name: string, createdAt: number): boolean =>
    (options.runId !== undefined && name.includes(options.runId)) || (runStartedAt(name) ?? createdAt) < cutoff;

  for (const entry of readdirSync(tmpdir())) {
    if (!TEMP_PREFIXES.some((prefix) => entry.startsWith(prefix))) continue;
    const path = join(tmpdir(), entry);
    try {
      if (!stale(entry, statSync(path).mtimeMs)) continue;
      rmSync(path, { recursive: true, force: true });
      done.files.push(entry);
    } catch (error) {
      done.problems.push(`${entry}: ${(error as Error).message}`);
    }
  }

  if (options.postgres === false) return done;
  try {
    await admin(async (client) => {
      // A database's PG_VERSION file is written when it is created: its age is the database's.
      const { rows } = await client.query<{ name: string; created: Date | null }>(`SELECT datname AS name,
          (pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification AS created
        FROM pg_database WHERE datname LIKE 'atrium\\_tpl\\_%' OR datname LIKE 'atrium\\_test\\_%'`);
      for (const { name, created } of rows) {
        if (!stale(name, created?.getTime() ?? Date.now())) continue;
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}"`);
          done.databases.push(name);
        } catch (error) {
          done.problems.push(`${name}: ${(error as Error).message}`); // in use: someone's test still runs there
        }
      }
    });
  } catch (error) {
    done.problems.push(`PostgreSQL at ${testServerLabel()}: ${(error as Error).message}`);
  }
  return done;
}
