import fp from 'fastify-plugin';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { sessionFromToken } from './auth/auth-plugin.ts';
import { recordApiDocument } from './openapi.ts';

/**
 * OpenAPI: @fastify/swagger describes the fixed routes from their schemas; the record API of every model
 * is generated from the manifests — the caller's enabled modules when a token is sent, else all shipped.
 */
async function docs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Atrium API', version: '0.1.0', description: 'The record API is generated from the enabled modules\' manifests.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.get('/api/docs', { schema: { hide: true } }, async (request) => {
    const { platform } = app;
    const header = request.headers.authorization;
    const schema = header?.startsWith('Bearer ')
      ? (await sessionFromToken(app, header.slice(7), request.headers.host)).schema
      : platform.schemas.for(platform.registry.modules.keys());
    const base = app.swagger() as { paths?: Record<string, unknown>; components?: Record<string, unknown> };
    const generated = recordApiDocument(schema);
    const fixed = Object.fromEntries(Object.entries(base.paths ?? {}).filter(([path]) => !path.startsWith('/api/records/')));
    return { ...base, paths: { ...fixed, ...generated.paths }, components: { ...base.components, schemas: generated.schemas } };
  });
}

export default fp(docs, { name: 'atrium-docs', dependencies: ['atrium-auth'] });
