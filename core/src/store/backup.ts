import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { StartupError } from '../kernel/errors.ts';
import { dataFolderOwner, inUseMessage, lockDataFolder } from './data-folder-lock.ts';
import { askOwnerForBackup, dumpPGlite } from './pglite-backup.ts';
import { PGliteBackend } from './pglite-server.ts';
import { RUNTIME_ROLE } from './database.ts';
import { pgliteExtensions as extensions } from './pglite-extensions.ts';

/**
 * `npm run backup` / `npm run restore`, for both databases. PGlite: its data folder as a gzipped tar
 * (dumpDataDir), taken by the running server when there is one. PostgreSQL: pg_dump's custom format,
 * one consistent snapshot (pg_dump reads in one repeatable-read transaction) while the app runs.
 */

function firstBytes(file: string, count: number): Buffer {
  if (!existsSync(file)) throw new StartupError([`${file} does not exist`]);
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0));
  } finally {
    closeSync(fd);
  }
}
const isGzip = (file: string): boolean => firstBytes(file, 2).equals(Buffer.from([0x1f, 0x8b]));
const isPgDump = (file: string): boolean => firstBytes(file, 5).toString() === 'PGDMP';

export async function backupPGlite(dataDir: string, file: string): Promise<number> {
  if (dataFolderOwner(dataDir)) return askOwnerForBackup(dataDir, file);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new StartupError([`backup: there is no database in ${dataDir}`]);
  const lock = lockDataFolder(dataDir);
  try {
    const db = await PGlite.create(dataDir, { extensions });
    try {
      return await dumpPGlite(new PGliteBackend(db), file);
    } finally {
      await db.close();
    }
  } finally {
    lock.release();
  }
}

/**
 * Replaces the data folder with the backup's: refused while a server owns the folder, and over an existing
 * database without `force`. The backup is unpacked beside the folder and checked first, so a bad file
 * leaves the current database as it was.
 */
export async function restorePGlite(file: string, dataDir: string, force: boolean): Promise<void> {
  const owner = dataFolderOwner(dataDir);
  if (owner) throw new StartupError([inUseMessage(dataDir, owner)]);
  if (!isGzip(file))
    throw new StartupError([
      `restore: ${file} is not a backup of an embedded database${isPgDump(file) ? ' (it is a pg_dump: set DATABASE_URL to restore it into PostgreSQL)' : ''}`,
    ]);
  mkdirSync(dirname(dataDir), { recursive: true });
  const lock = lockDataFolder(dataDir);
  try {
    if (existsSync(join(dataDir, 'PG_VERSION')) && !force)
      throw new StartupError([`restore: ${dataDir} already holds a database: add --force to replace it`]);
    const staging = `${dataDir}.restoring-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    try {
      const db = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([await readFile(file)]), extensions });
      try {
        await db.query('SELECT count(*) FROM core_migrations');
      } finally {
        await db.close();
      }
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw new StartupError([`restore: ${file} is not a usable Atrium backup (${(error as Error).message})`]);
    }
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(staging, dataDir);
  } finally {
    lock.release();
  }
}

/** Runs a PostgreSQL client program; its error output becomes the message. */
function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError([
          error.code === 'ENOENT'
            ? `${program} is not installed: install PostgreSQL's client programs (Debian: apt-get install postgresql-client)`
            : error.message,
        ]),
      ),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new StartupError([`${program} failed (${code}): ${errors.trim()}`]))));
  });
}

export async function backupPostgres(url: string, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await run('pg_dump', ['--format=custom', `--file=${partial}`, url]);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * pg_restore into the database of `url`, in one transaction: refused when it already has tables, unless
 * `force` (the dump's objects are then dropped and recreated). The runtime role is cluster-wide, so no
 * dump holds it: it is created first when this cluster lacks it.
 */
export async function restorePostgres(file: string, url: string, force: boolean): Promise<void> {
  if (!isPgDump(file))
    throw new StartupError([
      `restore: ${file} is not a pg_dump backup${isGzip(file) ? ' (it is a backup of an embedded database: unset DATABASE_URL to restore it)' : ''}`,
    ]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    if (rows[0].n > 0 && !force)
      throw new StartupError(['restore: the database of DATABASE_URL already has tables: add --force to replace them']);
    await client.query(
      `DO $$ BEGIN CREATE ROLE ${RUNTIME_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
  } finally {
    await client.end();
  }
  await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${url}`, file]);
}
