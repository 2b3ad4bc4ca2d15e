import fp from 'fastify-plugin';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionFromToken } from './auth/auth-plugin.ts';
import { error, recordApiDocument } from './openapi.ts';
import { fixedSchemas, withFixedResponses } from './openapi-fixed.ts';

/** A browser asks for a page; a client (curl, a generator, a test) for the document, as /api/docs always gave. */
const wantsPage = (request: FastifyRequest): boolean => /\btext\/html\b/.test(request.headers.accept ?? '');

/**
 * OpenAPI: @fastify/swagger describes the fixed routes from their schemas; the record API of every model
 * is generated from the manifests — the caller's enabled modules when a token is sent, else all shipped.
 * The document is at /api/openapi.json; /api/docs is a readable reference of it (swagger-ui, served from
 * this server: no CDN), or the document itself for a client that does not ask for HTML.
 */
async function docs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Atrium API', version: '0.1.0', description: "The record API is generated from the enabled modules' manifests." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  async function document(request: FastifyRequest) {
    const { platform } = app;
    const header = request.headers.authorization;
    const schema = header?.startsWith('Bearer ')
      ? (await sessionFromToken(app, header.slice(7), request.headers.host)).schema
      : platform.schemas.for(platform.registry.modules.keys());
    const base = app.swagger() as { paths?: Record<string, Record<string, Record<string, unknown>>>; components?: Record<string, unknown> };
    const generated = recordApiDocument(schema);
    const fixed = Object.fromEntries(Object.entries(base.paths ?? {}).filter(([path]) => !path.startsWith('/api/records/')));
    return {
      ...base,
      paths: { ...withFixedResponses(fixed, error), ...generated.paths },
      components: { ...base.components, schemas: { ...fixedSchemas, ...generated.schemas } },
    };
  }

  app.get('/api/openapi.json', { schema: { hide: true } }, document);

  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    uiHooks: {
      // swagger-ui's own /json would hold only the fixed routes: it gets the whole document instead.
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        const route = request.routeOptions.url;
        if (route === '/api/docs/json' || ((route === '/api/docs' || route === '/api/docs/') && !wantsPage(request))) {
          return reply.send(await document(request));
        }
      },
    },
  });
}

export default fp(docs, { name: 'atrium-docs', dependencies: ['atrium-auth'] });
