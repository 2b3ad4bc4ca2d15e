/**
 * Memory of a fresh server process: resident memory once started and idle; then, after a warm-up (a
 * few sockets of other tenants opened and closed, so that code compiled on first use and the heap's first
 * growth are not counted as the sockets'), the growth with idle sockets open, divided by their number.
 * Every measured socket is a user not seen before: its session and ability are part of its cost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTenant } from '../seed.ts';
import type { Server } from '../servers.ts';
import type { Target } from '../targets.ts';
import { closeSockets, openSockets } from './websocket.ts';

export interface MemoryResult {
  idleRss: number;
  /** After the warm-up, before the measured sockets. */
  warmRss: number;
  withSocketsRss: number;
  sockets: number;
  perSocket: number;
}

export async function memory(server: Server, target: Target, tenants: BenchTenant[], warmUp: BenchTenant[], sockets: number): Promise<MemoryResult> {
  await sleep(3000);
  const idleRss = server.rss();
  await closeSockets(await openSockets(target, warmUp, 10));
  await sleep(2000);
  const warmRss = server.rss();
  const clients = await openSockets(target, tenants, Math.round(sockets / tenants.length));
  await sleep(3000);
  const withSocketsRss = server.rss();
  await closeSockets(clients);
  return { idleRss, warmRss, withSocketsRss, sockets: clients.length, perSocket: (withSocketsRss - warmRss) / clients.length };
}
