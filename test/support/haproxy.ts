import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server-process.ts';

export interface HaProxy {
  /** http://127.0.0.1:port of the proxy's frontend. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Debian's HAProxy (installed by .ci/run) in front of `backends` (http://host:port each), as an operator runs
 * it before Atrium (docs/scale-out.md): round robin, websockets passed through, a node taken out as soon as
 * `GET /api/ready` fails once (checked every `checkMs`, allowed 2 s to answer), a connection refused by a dead
 * node retried on another, and the client's address passed on in X-Forwarded-For (for nodes that trust the
 * proxy: ATRIUM_TRUST_PROXY).
 */
export async function startHaProxy(backends: string[], checkMs = 500): Promise<HaProxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'atrium-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  timeout tunnel 1h',
      '  retries 3',
      '  option redispatch',
      '  option forwardfor',
      'frontend web',
      `  bind 127.0.0.1:${port}`,
      '  default_backend atrium',
      'backend atrium',
      '  balance roundrobin',
      '  option httpchk GET /api/ready',
      // A loaded node may answer slowly without being down: only a node that answers 503 or not at all is taken out.
      '  timeout check 2s',
      '  http-check expect status 200',
      `  default-server inter ${checkMs}ms fall 1 rise 1`,
      ...backends.map((backend, i) => `  server node${i} ${new URL(backend).host} check`),
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 10_000; ;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${url}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
