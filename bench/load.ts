import autocannon from 'autocannon';
import { cpuPerRequest, readCpu, type CpuCost } from './cpu.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers and socket errors: a run with any is reported, not hidden. */
  failures: number;
  /** CPU ms per request of the server, its database's backends and the load generator (when `server` was given). */
  cpu?: CpuCost & { client: number };
}

/** The process and database whose CPU a load is charged with. */
export interface Accounted {
  pid: number;
  database: string;
}

/** One autocannon run against `base`: `next()` gives each request (rotating tenants and users). */
export async function load(
  base: string,
  options: { connections: number; seconds: number; next: () => HttpRequest; server?: Accounted },
): Promise<LoadResult> {
  const { server } = options;
  const before = server && readCpu(server.pid, server.database);
  const client = process.cpuUsage();
  const result = await autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    requests: [{ setupRequest: (request) => ({ ...request, ...options.next() }) }],
  });
  const clientUsage = process.cpuUsage(client);
  const requests = result.requests.total;
  return {
    cpu: before && {
      ...cpuPerRequest(before, readCpu(server.pid, server.database), requests),
      client: (clientUsage.user + clientUsage.system) / 1000 / requests,
    },
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
