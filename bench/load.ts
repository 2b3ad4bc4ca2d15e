import autocannon from 'autocannon';

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
}

/** One autocannon run against `base`: `next()` gives each request (rotating tenants and users). */
export async function load(
  base: string,
  options: { connections: number; seconds: number; overallRate?: number; next: () => HttpRequest },
): Promise<LoadResult> {
  const result = await autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    requests: [{ setupRequest: (request) => ({ ...request, ...options.next() }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
