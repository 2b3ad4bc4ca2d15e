import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { PrometheusMetrics } from './prometheus-metrics.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <ATRIUM_METRICS_TOKEN>`, compared in constant time. */
function authorized(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') && timingSafeEqual(digest(header.slice(7)), digest(token));
}

/**
 * `GET /api/metrics` in Prometheus' text format, for whoever holds ATRIUM_METRICS_TOKEN. Without the
 * token nothing is collected and the route does not exist (404). With it, the engine's reports go to a
 * Prometheus registry, and every response is timed by its route pattern.
 */
async function metrics(app: FastifyInstance): Promise<void> {
  const { config, db } = app.platform;
  const token = config.metrics.token;
  if (!token) return;
  const prometheus = new PrometheusMetrics(
    { pool: db.pool, poolSize: config.database.poolSize, sockets: () => app.realtime.hub.sockets },
    config.metrics.topTenants,
  );
  app.platform.metrics = prometheus;
  db.onAcquire = (seconds) => prometheus.acquire.observe(seconds);
  app.addHook('onResponse', async (request, reply) => {
    prometheus.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/api/metrics', async (request, reply) => {
    if (!authorized(request, token)) throw AtriumError.unauthorized('The metrics token is missing or wrong');
    return reply.type(prometheus.registry.contentType).send(await prometheus.registry.metrics());
  });
}

export default fp(metrics, { name: 'atrium-metrics', dependencies: ['atrium-events'] });
