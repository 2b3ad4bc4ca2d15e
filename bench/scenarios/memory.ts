/**
 * Memory of a fresh server process: resident memory once started and idle (read from outside); then, per
 * idle socket, the growth of the JavaScript heap and of the memory outside it (heapUsed + external) read
 * inside the process after forced collections (memory-probe.ts), between two points: with the first half
 * of the sockets open and with all of them (so that code compiled on first use and the heap's first growth
 * are not counted as the sockets'). Every socket is a user not seen before: its session and ability count.
 * The same growth of RSS is kept for information: read from outside, it moves with when the collector last
 * ran and with what the allocator keeps, by ±10 KB a socket.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { MemoryReading } from '../memory-probe.ts';
import type { BenchTenant } from '../seed.ts';
import type { Server } from '../servers.ts';
import type { Target } from '../targets.ts';
import { closeSockets, openSockets } from './websocket.ts';

export interface MemoryResult {
  idleRss: number;
  /** Inside the process after forced collections: idle, with the first half of the sockets open, with all. */
  idle: MemoryReading;
  half: MemoryReading;
  all: MemoryReading;
  sockets: number;
  /** (heapUsed + external) with all − with the first half, ÷ the sockets of the second half. */
  perSocket: number;
  /** The same with the RSS of the same readings: for information. */
  perSocketRss: number;
}

const inUse = (m: MemoryReading): number => m.heapUsed + m.external;

export async function memory(
  server: Server,
  target: Target,
  tenants: BenchTenant[],
  warmUp: BenchTenant[],
  sockets: number,
): Promise<MemoryResult> {
  await sleep(3000);
  const idleRss = server.rss();
  const idle = await server.memory();
  await closeSockets(await openSockets(target, warmUp, 10));
  const perTenant = Math.round(sockets / tenants.length);
  const split = Math.floor(tenants.length / 2);
  const first = await openSockets(target, tenants.slice(0, split), perTenant);
  await sleep(4000);
  const half = await server.memory();
  const second = await openSockets(target, tenants.slice(split), perTenant);
  await sleep(4000);
  const all = await server.memory();
  await closeSockets([...first, ...second]);
  return {
    idleRss,
    idle,
    half,
    all,
    sockets: first.length + second.length,
    perSocket: (inUse(all) - inUse(half)) / second.length,
    perSocketRss: (all.rss - half.rss) / second.length,
  };
}
