import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { listenPGlite, PGliteBackend } from './pglite-server.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { serveBackups } from './pglite-backup.ts';
import { pgliteExtensions as extensions } from './pglite-extensions.ts';

export interface EmbeddedPostgres {
  db: PGlite;
  /** The backend's turns: whoever needs it alone between two exchanges (a backup) waits for one. */
  backend: PGliteBackend;
  url: string;
  close(): Promise<void>;
}

// initdb inside PGlite takes ~6 s; a throw-away database (tests) starts from a dump of a fresh one instead (~1 s).
const TEMPLATE = join(tmpdir(), 'atrium-pglite-0.5.14-template.tar');

async function freshInMemory(template: string | undefined): Promise<PGlite> {
  if (template) return PGlite.create({ loadDataDir: new Blob([await readFile(template)]), extensions });
  if (existsSync(TEMPLATE)) return PGlite.create({ loadDataDir: new Blob([await readFile(TEMPLATE)]), extensions });
  const db = await PGlite.create('memory://', { extensions });
  const dump = await db.dumpDataDir('none');
  const partial = `${TEMPLATE}.${process.pid}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, TEMPLATE);
  return db;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) in this process, exposed on a loopback port so that the
 * same `pg` driver and MikroORM serve it exactly as they serve a real server. A data folder has one owner
 * (its lock), who also answers `npm run backup` while it runs.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number, template?: string): Promise<EmbeddedPostgres> {
  if (dataDir === 'memory://') return serve(await freshInMemory(template), maxConnections);
  await mkdir(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir);
  let embedded: EmbeddedPostgres | undefined;
  try {
    embedded = await serve(await PGlite.create(dataDir, { extensions }), maxConnections);
    const backups = await serveBackups(dataDir, embedded.backend);
    const closeDatabase = embedded.close;
    return {
      ...embedded,
      async close() {
        await backups.close();
        await closeDatabase();
        lock.release();
      },
    };
  } catch (error) {
    await embedded?.close();
    lock.release();
    throw error;
  }
}

async function serve(db: PGlite, maxConnections: number): Promise<EmbeddedPostgres> {
  const backend = new PGliteBackend(db);
  const server = await listenPGlite(backend, maxConnections);
  return {
    db,
    backend,
    url: server.url,
    async close() {
      await server.close();
      await db.close();
    },
  };
}
