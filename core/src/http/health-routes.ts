import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `GET /api/health`: 200 while the database answers, 503 while it does not. */
export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async (_request, reply) => {
    const ok = await app.platform.db.healthy();
    return reply.code(ok ? 200 : 503).send({ ok, database: app.platform.db.kind, version });
  });
}
