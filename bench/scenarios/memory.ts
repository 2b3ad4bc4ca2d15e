/**
 * Memory of a fresh server process: resident memory once started and idle, then with idle sockets open
 * (per socket: the growth divided by their number).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTenant } from '../seed.ts';
import type { Server } from '../servers.ts';
import type { Target } from '../targets.ts';
import { closeSockets, openSockets } from './websocket.ts';

export interface MemoryResult {
  idleRss: number;
  withSocketsRss: number;
  sockets: number;
  perSocket: number;
}

export async function memory(server: Server, target: Target, tenants: BenchTenant[], sockets: number): Promise<MemoryResult> {
  await sleep(3000);
  const idleRss = server.rss();
  const clients = await openSockets(target, tenants, Math.round(sockets / tenants.length));
  await sleep(3000);
  const withSocketsRss = server.rss();
  await closeSockets(clients);
  return { idleRss, withSocketsRss, sockets: clients.length, perSocket: (withSocketsRss - idleRss) / clients.length };
}
