import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Database } from '../../store/database.ts';

/** Which database the suite runs on: ATRIUM_TEST_DB=postgresql (ATRIUM_TEST_DATABASE_URL) or pglite (default). */
export const testDatabaseKind = (): 'postgresql' | 'pglite' => (process.env.ATRIUM_TEST_DB === 'postgresql' ? 'postgresql' : 'pglite');

const adminUrl = (): string => process.env.ATRIUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** DATABASE_URL for the app, or undefined for an in-memory PGlite. */
  url: string | undefined;
  /** For PGlite: the dump of an already migrated database to start from. */
  template: string | undefined;
  drop(): Promise<void>;
}

/**
 * An already migrated database, shared by every test file with the same schema (`key`) as a starting
 * point: migrating once instead of once per file keeps the suite fast. Each file still gets a database
 * of its own, copied from it.
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
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The PGlite dump of a migrated database, made by the first test file that needs it. */
async function pgliteTemplate(template: MigratedTemplate): Promise<string> {
  const file = join(tmpdir(), `atrium-test-${template.key}.tar`);
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
  const name = `atrium_tpl_${template.key}`;
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
  if (testDatabaseKind() === 'pglite') return { url: undefined, template: template && (await pgliteTemplate(template)), drop: async () => {} };
  const name = `atrium_test_${randomBytes(6).toString('hex')}`;
  const from = template ? ` TEMPLATE ${await postgresTemplate(template)}` : '';
  await admin((c) => c.query(`CREATE DATABASE ${name}${from}`));
  return {
    url: urlOf(name),
    template: undefined,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
