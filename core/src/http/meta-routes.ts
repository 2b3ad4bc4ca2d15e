import type { FastifyInstance } from 'fastify';
import { buildMeta } from '../engine/meta.ts';

export default async function metaRoutes(app: FastifyInstance): Promise<void> {
  app.get('/meta', (request) => buildMeta(request.session.schema, request.session.ability));
}
