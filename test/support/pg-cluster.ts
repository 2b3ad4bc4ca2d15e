import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { freePort } from './server-process.ts';

export interface Cluster {
  url: string;
  stop(): void;
  start(): void;
  drop(): void;
}

/**
 * A PostgreSQL server of its own (Debian's pg_createcluster, trust auth on loopback) that a test may stop
 * and start without disturbing the shared server other tests use.
 */
export async function createCluster(): Promise<Cluster> {
  const version = readdirSync('/etc/postgresql')[0];
  const name = `atrium_${process.pid}_${Date.now().toString(36)}`;
  const port = await freePort();
  execFileSync('pg_createcluster', [version, name, '-p', String(port), '--', '--auth-host=trust', '--auth-local=trust'], {
    stdio: 'ignore',
  });
  const run = (...args: string[]) =>
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, ...args], { stdio: 'ignore' });
  run('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run('stop', '-m', 'fast'),
    start: () => run('start'),
    drop: () => execFileSync('pg_dropcluster', [version, name, '--stop'], { stdio: 'ignore' }),
  };
}
