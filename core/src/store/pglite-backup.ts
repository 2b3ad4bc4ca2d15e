import { createHash } from 'node:crypto';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PGliteBackend } from './pglite-server.ts';

/**
 * Backups of an embedded PGlite while its server runs: only the process that owns the data folder may
 * read it, so `npm run backup` asks that process, over a Unix socket only its user can open.
 */
export const controlSocket = (dataDir: string): string =>
  join(tmpdir(), `atrium-pglite-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}.sock`);

/**
 * The data folder as a gzipped tar (PGlite's dumpDataDir), written to `file` whole or not at all. It is
 * taken between two exchanges and outside any transaction, after a CHECKPOINT: every committed write is
 * in it, and nothing half-done.
 */
export async function dumpPGlite(backend: PGliteBackend, file: string): Promise<number> {
  const dump = await backend.exclusive(async () => {
    await backend.db.exec('CHECKPOINT');
    return backend.db.dumpDataDir('gzip');
  });
  const bytes = Buffer.from(await dump.arrayBuffer());
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, bytes);
  await rename(partial, file);
  return bytes.length;
}

/** The owner's side: answers `{"backup": FILE}` with `{"bytes": N}` or `{"error": "..."}`, one line each. */
export async function serveBackups(dataDir: string, backend: PGliteBackend): Promise<{ close(): Promise<void> }> {
  const path = controlSocket(dataDir);
  rmSync(path, { force: true }); // left by an owner that died: this process holds the lock now
  const server = createServer((socket) => {
    let request = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      request += chunk;
      if (!request.includes('\n')) return;
      const { backup } = JSON.parse(request) as { backup: string };
      dumpPGlite(backend, backup).then(
        (bytes) => socket.end(`${JSON.stringify({ bytes })}\n`),
        (error: Error) => socket.end(`${JSON.stringify({ error: error.message })}\n`),
      );
    });
  });
  await new Promise<void>((done, fail) => server.once('error', fail).listen(path, done));
  chmodSync(path, 0o600);
  return {
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** The CLI's side: the running owner writes the backup; the size written, or the owner's error. */
export function askOwnerForBackup(dataDir: string, file: string): Promise<number> {
  const path = controlSocket(dataDir);
  if (!existsSync(path)) return Promise.reject(new Error(`the server owning ${dataDir} does not answer at ${path}`));
  return new Promise((done, fail) => {
    const socket = createConnection(path, () => socket.write(`${JSON.stringify({ backup: resolve(file) })}\n`));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', fail);
    socket.on('end', () => {
      try {
        const { bytes, error } = JSON.parse(answer) as { bytes?: number; error?: string };
        if (error !== undefined || bytes === undefined) fail(new Error(error ?? 'no answer'));
        else done(bytes);
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}
