/**
 * CPU time spent by the server process and by PostgreSQL while a load runs, from /proc (Linux): what a
 * request costs each side, whatever else the machine does meanwhile (elapsed times move with load; CPU
 * time per request much less). PostgreSQL is the backends serving the server's database (a backend's
 * command line names it), so other databases' work does not count; the WAL writer and checkpointer are
 * shared and left out. Without /proc the figures are NaN.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a process, in ms; NaN when it cannot be read. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

const commandLine = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** PostgreSQL backends serving `database` ("postgres: 15/main: postgres atrium_bench 127.0.0.1(…) idle"). */
function backendsOf(database: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name) && commandLine(name).startsWith('postgres:') && commandLine(name).split(' ').includes(database))
      .map(Number);
  } catch {
    return [];
  }
}

export interface CpuReading {
  server: number;
  postgres: Map<number, number>;
}

/** CPU ms of each backend serving `database`. */
export const readPostgres = (database: string): Map<number, number> => new Map(backendsOf(database).map((pid) => [pid, cpuMs(pid)]));

export const readCpu = (serverPid: number, database: string): CpuReading => ({
  server: cpuMs(serverPid),
  postgres: readPostgres(database),
});

/** CPU ms the backends spent between two readings (one that started meanwhile counts from 0); NaN without /proc. */
export function postgresSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = after.size === 0 ? NaN : 0;
  for (const [pid, ms] of after) if (Number.isFinite(ms)) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

export interface CpuCost {
  /** CPU ms of the server process per request. */
  server: number;
  /** CPU ms of the database's backends per request (one that started meanwhile counts from 0). */
  postgres: number;
}

export const cpuPerRequest = (before: CpuReading, after: CpuReading, requests: number): CpuCost => ({
  server: (after.server - before.server) / requests,
  postgres: postgresSpent(before.postgres, after.postgres) / requests,
});
