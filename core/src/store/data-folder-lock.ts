import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { StartupError } from '../kernel/errors.ts';

interface Owner {
  pid: number;
  host: string;
  since: string;
}

/** Lock files this process holds (a second open in the same process is refused too). */
const held = new Set<string>();

const lockFile = (dataDir: string): string => `${dataDir}.lock`;

function ownerOf(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that wrote the lock still runs. Its own pid is not proof (in a container every
 * start is pid 1): this process holds a lock only when it says so in `held`.
 */
function alive(owner: Owner, file: string): boolean {
  if (owner.pid === process.pid) return held.has(file);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, and belongs to someone else
  }
}

/** The process holding the data folder, when one runs. */
export function dataFolderOwner(dataDir: string): Owner | undefined {
  const file = lockFile(dataDir);
  const owner = ownerOf(file);
  return owner && alive(owner, file) ? owner : undefined;
}

export function inUseMessage(dataDir: string, owner: Owner): string {
  return `database: the data folder ${dataDir} is in use by process ${owner.pid} on ${owner.host} (since ${owner.since}). PGlite has one owner: stop that process first, give this one another folder (ATRIUM_DATA_DIR), or use PostgreSQL (DATABASE_URL) to run several nodes.`;
}

/**
 * Takes `<dataDir>.lock` for this process, or refuses with a clear message while another live process
 * holds it. A lock left by a process that died (kill -9, power loss) is stale: taken over. The lock is
 * created whole (written aside, then hard-linked into place), so nobody ever reads it half-written.
 */
export function lockDataFolder(dataDir: string): { release(): void } {
  const file = lockFile(dataDir);
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        held.add(file);
        return {
          release() {
            if (held.delete(file)) rmSync(file, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = ownerOf(file);
        if (owner && alive(owner, file)) throw new StartupError([inUseMessage(dataDir, owner)]);
        rmSync(file, { force: true }); // stale: its owner is gone
      }
    }
    throw new StartupError([`database: could not lock the data folder ${dataDir} (${file} keeps coming back)`]);
  } finally {
    rmSync(mine, { force: true });
  }
}
