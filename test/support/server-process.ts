import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const repo = new URL('../..', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** kill -9: no chance to finish anything. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A project folder (its platform.config.ts, the repository's node_modules) to run `core/src/platform/main.ts` in:
 * the real server as a separate process, which a test can kill.
 */
export function makeProject(config: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'atrium-process-'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(
    join(root, 'platform.config.ts'),
    `export default ${JSON.stringify({ demo: false, auth: { passwordCost: 1024 }, ...config })};\n`,
  );
  return root;
}

/**
 * `terminal`: run it on a pseudo-terminal (through util-linux `script`), as `npm start` in a shell is.
 * `nodeFlags`: given to node before the script (a trace, say).
 */
export async function startServerProcess(
  root: string,
  env: Record<string, string> = {},
  options: { terminal?: boolean; nodeFlags?: string[] } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const command = [
    process.execPath,
    ...(options.nodeFlags ?? []),
    '--import',
    import.meta.resolve('tsx'),
    join(repo, 'core/src/platform/main.ts'),
  ];
  const spawnOptions = {
    cwd: root,
    env: { ...process.env, PORT: String(port), ATRIUM_SECRET: 'process-test-secret-process-test-secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
  const child = options.terminal
    ? spawn('script', ['-qfec', command.map((part) => `'${part}'`).join(' '), '/dev/null'], { ...spawnOptions, detached: true })
    : spawn(command[0], command.slice(1), spawnOptions);
  // On a terminal the server is script's child: signals go to the whole group.
  const signal = (name: NodeJS.Signals) => (options.terminal ? process.kill(-child.pid!, name) : child.kill(name));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => output,
    async crash() {
      signal('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) signal('SIGTERM');
      await exited;
    },
  };
}

/** A command of the repository (`core/src/platform/cli/backup.ts`, …) run to its end in a project folder. */
export function runScript(
  root: string,
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(repo, script), ...args], {
    cwd: root,
    env: { ...process.env, ATRIUM_SECRET: 'process-test-secret-process-test-secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
