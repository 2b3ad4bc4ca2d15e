/**
 * Memory of a fresh server process: resident memory once started and idle; then, per idle socket, the
 * growth between two points: with the first half of the sockets open and with all of them (so that code
 * compiled on first use and the heap's first growth are not counted as the sockets', and a garbage
 * collection shrinking the start-up heap meanwhile does not make the figure negative, as it did when the
 * baseline was the idle process). Every socket is a user not seen before: its session and ability count.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTenant } from '../seed.ts';
import type { Server } from '../servers.ts';
import type { Target } from '../targets.ts';
import { closeSockets, openSockets } from './websocket.ts';

export interface MemoryResult {
  idleRss: number;
  /** With the first half of the sockets open. */
  halfRss: number;
  withSocketsRss: number;
  sockets: number;
  perSocket: number;
}

export async function memory(
  server: Server,
  target: Target,
  tenants: BenchTenant[],
  warmUp: BenchTenant[],
  sockets: number,
): Promise<MemoryResult> {
  await sleep(3000);
  const idleRss = server.rss();
  await closeSockets(await openSockets(target, warmUp, 10));
  const perTenant = Math.round(sockets / tenants.length);
  const half = Math.floor(tenants.length / 2);
  const first = await openSockets(target, tenants.slice(0, half), perTenant);
  await sleep(4000);
  const halfRss = server.rss();
  const second = await openSockets(target, tenants.slice(half), perTenant);
  await sleep(4000);
  const withSocketsRss = server.rss();
  await closeSockets([...first, ...second]);
  return { idleRss, halfRss, withSocketsRss, sockets: first.length + second.length, perSocket: (withSocketsRss - halfRss) / second.length };
}
