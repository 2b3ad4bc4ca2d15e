import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';
import type { ListQuery } from '../engine/records/list-params.ts';
import { withFreshCustomFields } from './fresh-custom-fields.ts';

type Params = { model: string; id: string; name: string };

/** `inline; filename="…"`, with the name also in UTF-8 (RFC 6266) for what plain ASCII cannot hold. */
function inlineFilename(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** `If-Match: 3` (or `"3"`): the version the client last saw. */
function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*"?(\d{1,9})"?\s*$/.exec(String(header));
  if (!match) throw AtriumError.invalidField('If-Match', 'format', 'must be the record version, an integer');
  return Number(match[1]);
}

/**
 * The generic record API of docs/api.md. Routes only parse and answer: tenancy, permissions, validation,
 * versions and events are the record service's, the same for every model of every module.
 */
export default async function recordRoutes(app: FastifyInstance): Promise<void> {
  // A request naming a custom field this node has not heard of yet reads the tenant afresh (fresh-custom-fields.ts).
  const service = withFreshCustomFields;

  app.get<{ Params: Params; Querystring: ListQuery }>('/records/:model', async (request, reply) => {
    const page = await service(request, (records) => records.read.list(request.params.model, request.query));
    return reply.type('application/json; charset=utf-8').send(page.json);
  });
  app.get<{ Params: Params; Querystring: ListQuery }>('/records/:model/groups', (request) =>
    service(request, (records) => records.read.groups(request.params.model, request.query)),
  );
  app.get<{ Params: Params }>('/records/:model/:id', (request) =>
    service(request, (records) => records.read.get(request.params.model, request.params.id)),
  );
  app.get<{ Params: Params }>('/records/:model/:id/reports/:name', async (request, reply) => {
    const { filename, pdf } = await service(request, (records) =>
      records.reports.render(request.params.model, request.params.id, request.params.name),
    );
    return reply.type('application/pdf').header('content-disposition', inlineFilename(filename)).send(pdf);
  });
  app.get<{ Params: Params }>('/records/:model/:id/history', (request) =>
    service(request, (records) => records.read.history(request.params.model, request.params.id)),
  );

  app.post<{ Params: Params }>('/records/:model', async (request, reply) => {
    reply.code(201);
    return service(request, (records) => records.write.create(request.params.model, request.body));
  });
  app.patch<{ Params: Params }>('/records/:model/:id', (request) =>
    service(request, (records) => records.write.update(request.params.model, request.params.id, request.body, ifMatch(request))),
  );
  app.delete<{ Params: Params }>('/records/:model/:id', async (request, reply) => {
    await service(request, (records) => records.write.remove(request.params.model, request.params.id));
    return reply.code(204).send();
  });
  app.post<{ Params: Params }>('/records/:model/:id/actions/:name', (request) =>
    service(request, (records) => records.write.action(request.params.model, request.params.id, request.params.name, request.body)),
  );
}
