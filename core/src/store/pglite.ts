import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  db: PGlite;
  url: string;
  close(): Promise<void>;
}

// initdb inside PGlite takes ~6 s; a throw-away database (tests) starts from a dump of a fresh one instead (~1 s).
const TEMPLATE = join(tmpdir(), 'atrium-pglite-0.5.14-template.tar');

async function freshInMemory(template: string | undefined): Promise<PGlite> {
  if (template) return PGlite.create({ loadDataDir: new Blob([await readFile(template)]) });
  if (existsSync(TEMPLATE)) return PGlite.create({ loadDataDir: new Blob([await readFile(TEMPLATE)]) });
  const db = await PGlite.create('memory://');
  const dump = await db.dumpDataDir('none');
  const partial = `${TEMPLATE}.${process.pid}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, TEMPLATE);
  return db;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) in this process, exposed on a loopback port so that the
 * same `pg` driver and MikroORM serve it exactly as they serve a real server.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number, template?: string): Promise<EmbeddedPostgres> {
  let db: PGlite;
  if (dataDir === 'memory://') {
    db = await freshInMemory(template);
  } else {
    await mkdir(dataDir, { recursive: true });
    db = await PGlite.create(dataDir);
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    db,
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
