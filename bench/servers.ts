/** The servers under test, each in its own child process (never in the load generator's). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MEMORY_REQUEST, type MemoryReading } from './memory-probe.ts';
import { ATRIUM_PORT, dbUrl, METRICS_TOKEN, RAW_PORT, SECRET } from './settings.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  name: string;
  base: string;
  process: ChildProcess;
  /** Resident memory of the server process, in bytes, read from outside (/proc). */
  rss(): number;
  /** Memory read inside the server process after two forced collections (memory-probe.ts, over the IPC channel). */
  memory(): Promise<MemoryReading>;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`server not healthy after 120 s:\n${log()}`);
}

/** Asks the child's memory probe for a reading; fails if the child exits or stays silent. */
function readMemory(child: ChildProcess): Promise<MemoryReading> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', answer).off('exit', exited);
    };
    const answer = (message: unknown): void => {
      const reading = (message as { memory?: MemoryReading }).memory;
      if (!reading) return;
      done();
      resolve(reading);
    };
    const exited = (): void => {
      done();
      reject(new Error('server exited before reporting its memory'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('no memory reading from the server within 30 s'));
    }, 30_000);
    child.on('message', answer).once('exit', exited);
    child.send(MEMORY_REQUEST);
  });
}

async function start(name: string, args: string[], env: NodeJS.ProcessEnv, base: string, health: string): Promise<Server> {
  // --expose-gc and the IPC channel serve memory-probe.ts only: no product route, no other behaviour changed.
  const child = spawn(process.execPath, ['--expose-gc', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  await waitHealthy(`${base}${health}`, child, () => output);
  return {
    name,
    base,
    process: child,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024,
    memory: () => readMemory(child),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Atrium as `npm start` starts it (bench/atrium-server.ts: startServer, which scripts/start.ts calls after
 * building the shell; the shell is not under test), on PostgreSQL. BENCH_CPU_PROF=1 writes a CPU profile.
 */
export function startAtrium(db: string): Promise<Server> {
  const base = `http://127.0.0.1:${ATRIUM_PORT}`;
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${ROOT}bench/results/prof`] : [];
  const env = {
    DATABASE_URL: dbUrl(db),
    PORT: String(ATRIUM_PORT),
    HOST: '127.0.0.1',
    ATRIUM_DEMO: '0',
    ATRIUM_SECRET: SECRET,
    ATRIUM_METRICS_TOKEN: METRICS_TOKEN,
    LOG_LEVEL: 'warn',
  };
  return start('atrium', [...prof, '--import', 'tsx', 'bench/atrium-server.ts'], env, base, '/api/health');
}

/** Atrium on its embedded PGlite (no DATABASE_URL), its data in `dataDir`: the import scenario's second database. */
export function startAtriumOnPglite(dataDir: string): Promise<Server> {
  const base = `http://127.0.0.1:${ATRIUM_PORT}`;
  // An undefined variable is left out of the child's environment: no DATABASE_URL, so PGlite.
  const env = {
    DATABASE_URL: undefined,
    ATRIUM_DATA_DIR: dataDir,
    PORT: String(ATRIUM_PORT),
    HOST: '127.0.0.1',
    ATRIUM_DEMO: '0',
    ATRIUM_SECRET: SECRET,
    LOG_LEVEL: 'warn',
  };
  return start('atrium-pglite', ['--import', 'tsx', 'bench/atrium-server.ts'], env, base, '/api/health');
}

export function startRaw(db: string): Promise<Server> {
  const base = `http://127.0.0.1:${RAW_PORT}`;
  return start('raw', ['--import', 'tsx', 'bench/raw-server.ts'], { RAW_DATABASE_URL: dbUrl(db), PORT: String(RAW_PORT) }, base, '/health');
}
