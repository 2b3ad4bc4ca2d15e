import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type pg from 'pg';
import type { Metrics } from '../../engine/metrics.ts';

/** What is read when Prometheus scrapes: the pool's connections and this node's open sockets. */
export interface ScrapeSources {
  pool: pg.Pool;
  poolSize: number;
  sockets(): number;
}

/**
 * This node's metrics in Prometheus' text format (prom-client), one registry per app. Requests, pool
 * waits and event lag are histograms; per-tenant writes are counted for every tenant but only the
 * `topTenants` with the most get a series, so a platform of a hundred thousand tenants stays scrapeable.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly writesByTenant = new Map<string, number>();
  private readonly requests = new Histogram({
    name: 'atrium_http_request_duration_seconds',
    help: 'HTTP requests by route (the pattern, e.g. /api/records/:model), method and status; _count gives the request rate',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'atrium_event_delivery_lag_seconds',
    help: "From the start of an event's write transaction to its hand-over to this node's live sockets",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly writes = new Counter({
    name: 'atrium_writes_total',
    help: 'Write transactions committed on this node (each with its events), all tenants together',
    registers: [this.registry],
  });
  /** Observed by the store on every request for a pool connection. */
  readonly acquire = new Histogram({
    name: 'atrium_db_pool_acquire_seconds',
    help: 'How long a request for a database pool connection waited',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(sources: ScrapeSources, topTenants: number) {
    collectDefaultMetrics({ register: this.registry });
    const writesByTenant = this.writesByTenant;
    new Counter({
      name: 'atrium_tenant_writes_total',
      help: `Write transactions committed on this node since it started, for the ${topTenants} tenants with the most`,
      labelNames: ['tenant'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const top = [...writesByTenant].sort((a, b) => b[1] - a[1]).slice(0, topTenants);
        for (const [tenant, count] of top) this.inc({ tenant }, count);
      },
    });
    new Gauge({
      name: 'atrium_db_pool_connections',
      help: 'Database pool connections: in use, idle, and the pool size',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'busy' }, sources.pool.totalCount - sources.pool.idleCount);
        this.set({ state: 'idle' }, sources.pool.idleCount);
        this.set({ state: 'max' }, sources.poolSize);
      },
    });
    new Gauge({
      name: 'atrium_db_pool_waiting',
      help: 'Requests waiting for a database pool connection now',
      registers: [this.registry],
      collect() {
        this.set(sources.pool.waitingCount);
      },
    });
    new Gauge({
      name: 'atrium_websocket_connections',
      help: 'Websockets open on this node',
      registers: [this.registry],
      collect() {
        this.set(sources.sockets());
      },
    });
  }

  writeCommitted(tenantId: string): void {
    this.writes.inc();
    this.writesByTenant.set(tenantId, (this.writesByTenant.get(tenantId) ?? 0) + 1);
  }

  eventDelivered(lagSeconds: number): void {
    this.lag.observe(Math.max(0, lagSeconds));
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }
}
