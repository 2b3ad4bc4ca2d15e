import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';

/**
 * Serves the built shell (kit-ui/build) at `/`; any other GET outside /api is the single-page app's
 * index.html, so deep links work. Unknown /api routes are JSON 404s.
 */
async function ui(app: FastifyInstance, options: { dir: string | undefined }): Promise<void> {
  const dir = options.dir;
  const hasUi = dir !== undefined && existsSync(join(dir, 'index.html'));
  if (hasUi) await app.register(fastifyStatic, { root: dir, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (hasUi && request.method === 'GET' && !request.url.startsWith('/api')) return reply.sendFile('index.html');
    return reply.code(404).send(AtriumError.notFound(`No route ${request.method} ${request.url.split('?')[0]}`).toBody());
  });
}

export default fp(ui, { name: 'atrium-ui' });
