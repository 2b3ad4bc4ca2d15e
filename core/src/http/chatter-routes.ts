import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordScope } from '../engine/platform.ts';
import { Chatter } from '../engine/chatter/chatter-service.ts';
import type { ActivityInput, MessageInput } from '../engine/chatter/chatter-writes.ts';
import { activityBody, messageBody } from './chatter-bodies.ts';
import { ATTACHMENT_MAX_BYTES } from '../engine/chatter/attachment-types.ts';
import { AtriumError } from '../kernel/errors.ts';

type Params = { model: string; id: string; attachment: string };

/** `attachment; filename="…"`, with the name also in UTF-8 (RFC 6266). */
function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The chatter of records whose model declares `"chatter": true`, and activities (docs/api.md, "Chatter and
 * activities"). Routes only parse and answer; who may see what is the Chatter service's.
 */
export default async function chatterRoutes(app: FastifyInstance): Promise<void> {
  const chatter = (request: FastifyRequest): Chatter => new Chatter(recordScope(app.platform, request.session, request.id));

  app.get<{ Params: Params }>('/records/:model/:id/messages', (request) =>
    chatter(request).timeline(request.params.model, request.params.id),
  );
  app.post<{ Params: Params; Body: MessageInput }>(
    '/records/:model/:id/messages',
    { schema: { body: messageBody } },
    async (request, reply) => {
      const posted = await chatter(request).post(request.params.model, request.params.id, request.body);
      reply.code(201);
      return posted.entry;
    },
  );

  app.get<{ Params: Params }>('/records/:model/:id/followers', (request) =>
    chatter(request).followers(request.params.model, request.params.id),
  );
  app.post<{ Params: Params }>('/records/:model/:id/followers', (request) =>
    chatter(request).followers(request.params.model, request.params.id, 'follow'),
  );
  app.delete<{ Params: Params }>('/records/:model/:id/followers', (request) =>
    chatter(request).followers(request.params.model, request.params.id, 'unfollow'),
  );

  app.get<{ Params: Params }>('/records/:model/:id/attachments/:attachment', async (request, reply) => {
    const { model, id, attachment } = request.params;
    const file = await chatter(request).attachment(model, id, attachment);
    return reply.type(file.mime_type).header('content-disposition', attachmentDisposition(file.name)).send(file.content);
  });
  // Uploads in a scope of their own: only here is a body any type (checked by the service) and up to 10 MB.
  await app.register(async (uploads) => {
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES }, (_request, body, done) => done(null, body));
    uploads.post<{ Params: Params; Querystring: { name?: string } }>(
      '/records/:model/:id/attachments',
      { bodyLimit: ATTACHMENT_MAX_BYTES },
      async (request, reply) => {
        const content = Buffer.isBuffer(request.body) ? request.body : null;
        if (!content) throw AtriumError.invalidField('file', 'required', 'send the file as the body, with its type as Content-Type');
        const file = { name: request.query.name, type: request.headers['content-type'], content };
        const saved = await chatter(request).upload(request.params.model, request.params.id, file);
        reply.code(201);
        return saved;
      },
    );
  });

  app.get<{ Params: Params }>('/records/:model/activities', (request) => chatter(request).counts(request.params.model));
  app.get<{ Params: Params }>('/records/:model/:id/activities', (request) =>
    chatter(request).activities(request.params.model, request.params.id),
  );
  app.post<{ Params: Params; Body: ActivityInput }>(
    '/records/:model/:id/activities',
    { schema: { body: activityBody } },
    async (request, reply) => {
      const scheduled = await chatter(request).schedule(request.params.model, request.params.id, request.body);
      reply.code(201);
      return scheduled.activity;
    },
  );
  app.get('/activities', (request) => chatter(request).mine());
  app.post<{ Params: { id: string } }>('/activities/:id/done', (request) => chatter(request).done(request.params.id));
}
