import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server-process.ts';

export interface PgBouncer {
  /** The URL of `database` through the pooler. */
  urlOf(database: string): string;
  stop(): Promise<void>;
}

/**
 * Debian's PgBouncer (installed by .ci/run) in front of the local PostgreSQL server of `serverUrl`, in
 * the given pool mode, with `serverConnections` server connections per database, so that a test's
 * clients outnumber them and take turns. Runs as the postgres user when started by root (PgBouncer
 * refuses to run as root).
 */
export async function startPgBouncer(serverUrl: string, mode: 'session' | 'transaction', serverConnections: number): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'atrium-pgbouncer-'));
  writeFileSync(join(dir, 'users.txt'), `"${server.username}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      `pool_mode = ${mode}`,
      `default_pool_size = ${serverConnections}`,
      'max_client_conn = 500',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  for (const file of [dir, join(dir, 'users.txt'), join(dir, 'pgbouncer.ini')]) chmodSync(file, 0o755);
  const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  const child = spawn('/usr/sbin/pgbouncer', [...asRoot, join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const deadline = Date.now() + 10_000; ;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${output}`);
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined)).on('error', () => resolve(false));
    });
    if (listening) break;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    urlOf(database) {
      return `postgres://${server.username}@127.0.0.1:${port}/${database}`;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
