import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { MIGRATIONS_DIR, pendingMigrations } from '../store/migrate.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * `draining` is set when the node is asked to stop: readiness turns 503 while requests still finish.
     * `stopping` follows once the drain is over: new requests get a 503 while the in-flight ones end.
     */
    lifecycle: { draining: boolean; stopping: boolean };
  }
}

/**
 * `GET /api/health` (liveness): 200 while the database answers, 503 while it does not.
 * `GET /api/ready` (readiness, for a proxy or an orchestrator): 200 only when the database answers, every
 * migration these sources need is recorded, and the node is not draining; 503 otherwise, saying which.
 */
export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async (_request, reply) => {
    const ok = await app.platform.db.healthy();
    return reply.code(ok ? 200 : 503).send({ ok, database: app.platform.db.kind, version });
  });
  app.get('/ready', async (_request, reply) => {
    const { db, registry } = app.platform;
    const pending = await pendingMigrations(db, registry, MIGRATIONS_DIR).catch(() => undefined);
    const checks = { database: pending !== undefined, migrations: pending?.length === 0, draining: app.lifecycle.draining };
    const ready = checks.database && checks.migrations && !checks.draining;
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
}
