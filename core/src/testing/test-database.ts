import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Which database the suite runs on: ATRIUM_TEST_DB=postgresql (ATRIUM_TEST_DATABASE_URL) or pglite (default). */
export const testDatabaseKind = (): 'postgresql' | 'pglite' => (process.env.ATRIUM_TEST_DB === 'postgresql' ? 'postgresql' : 'pglite');

const adminUrl = (): string => process.env.ATRIUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** DATABASE_URL for the app, or undefined for a fresh in-memory PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A database of its own for one test file: a fresh PostgreSQL database, or an in-memory PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind() === 'pglite') return { url: undefined, drop: async () => {} };
  const name = `atrium_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
