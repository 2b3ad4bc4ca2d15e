/**
 * Websocket event latency, write → receipt: sockets of several users (three roles) per tenant, a steady
 * rate of creates spread over the tenants, and for each event the time from sending the write to each
 * socket's receipt of it. Every socket must receive every event of its tenant (all three roles may read
 * leads) and none of another tenant's.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { BenchTenant } from '../seed.ts';
import { percentile } from '../stats.ts';
import type { Target } from '../targets.ts';

export interface WsResult {
  sockets: number;
  tenants: number;
  writes: number;
  failedWrites: number;
  p50: number;
  p99: number;
  delivered: number;
  expected: number;
  crossTenant: number;
}

interface Client {
  socket: WebSocket;
  tenant: number;
}

/** Opens one socket and waits for the server's hello. */
function connect(url: string, tenant: number, onEvent: (tenant: number, name: string) => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error(`no hello from ${url.replace(/token=.*/, 'token=…')}`)), 30_000);
    socket.on('error', reject);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; record?: { name?: string } };
      if (message.type === 'hello') {
        clearTimeout(timer);
        resolve({ socket, tenant });
      } else if (message.type === 'event' && message.record?.name) onEvent(tenant, message.record.name);
    });
  });
}

/** Opens `perTenant` sockets for each tenant (its users in order), 50 handshakes at a time. */
export async function openSockets(
  target: Target,
  tenants: BenchTenant[],
  perTenant: number,
  onEvent: (tenant: number, name: string) => void = () => {},
): Promise<Client[]> {
  const plan = tenants.flatMap((t, ti) =>
    Array.from({ length: perTenant }, (_, u) => ({ url: target.socketUrl(t, u % t.users.length), tenant: ti })),
  );
  const clients: Client[] = [];
  for (let i = 0; i < plan.length; i += 50)
    clients.push(...(await Promise.all(plan.slice(i, i + 50).map((p) => connect(p.url, p.tenant, onEvent)))));
  return clients;
}

export async function closeSockets(clients: Client[]): Promise<void> {
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.socket.readyState === WebSocket.CLOSED) return resolve();
          c.socket.once('close', () => resolve());
          c.socket.close();
        }),
    ),
  );
}

export async function websocketLatency(
  target: Target,
  tenants: BenchTenant[],
  options: { sockets: number; writesPerSecond: number; seconds: number },
): Promise<WsResult> {
  const perTenant = Math.round(options.sockets / tenants.length);
  const sentAt = new Map<string, { at: number; tenant: number }>();
  const latencies: number[] = [];
  let crossTenant = 0;
  const onEvent = (tenant: number, name: string): void => {
    const sent = sentAt.get(name);
    if (!sent) return;
    if (sent.tenant !== tenant) crossTenant++;
    else latencies.push(performance.now() - sent.at);
  };
  const clients = await openSockets(target, tenants, perTenant, onEvent);
  await sleep(1000);

  let writes = 0;
  let failedWrites = 0;
  const pending: Promise<void>[] = [];
  const total = options.writesPerSecond * options.seconds;
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    // A steady rate: the n-th write leaves at n / rate seconds, whatever the previous ones are doing.
    const wait = started + (n * 1000) / options.writesPerSecond - performance.now();
    if (wait > 0) await sleep(wait);
    const ti = n % tenants.length;
    const name = `ws ${ti} ${n}`;
    const request = target.request('create', tenants[ti], name);
    sentAt.set(name, { at: performance.now(), tenant: ti });
    pending.push(
      fetch(`${target.base}${request.path}`, { method: 'POST', headers: request.headers, body: request.body }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status === 201) writes++;
          else failedWrites++;
        },
        () => void failedWrites++,
      ),
    );
  }
  await Promise.all(pending);
  // Stragglers: wait until every event is in, or 5 s.
  const expected = writes * perTenant;
  for (let waited = 0; latencies.length + crossTenant < expected && waited < 5000; waited += 100) await sleep(100);
  await closeSockets(clients);
  return {
    sockets: clients.length,
    tenants: tenants.length,
    writes,
    failedWrites,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    delivered: latencies.length,
    expected,
    crossTenant,
  };
}
