import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/filter/filter-language.ts';
import { readableView } from '../engine/readable-view.ts';
import { sql, type Sql } from '../store/sql.ts';
import { isAdmin } from './admin/require-admin.ts';

/** A favourite keeps the shell's state of a view; the records API checks its filters again on every use. */
const MAX_STATE_CHARS = 8000;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['view', 'name', 'state'],
  properties: {
    view: { type: 'string', minLength: 1, maxLength: 200 },
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    state: { type: 'object' },
    shared: { type: 'boolean' },
  },
} as const;

interface CreateBody {
  view: string;
  name: string;
  state: Record<string, unknown>;
  shared?: boolean;
}

/** The favourites a user sees: their own and those shared with the tenant. */
const visibleSql = (tenantId: string, userId: string, where: Sql): Sql => sql`SELECT f.id, f.view, f.name, f.state, f.shared, f.created_at,
    json_build_object('id', u.id, 'display', u.name) AS owner, f.owner_id = ${userId}::uuid AS mine
  FROM core_saved_filters f JOIN core_users u ON u.tenant_id = f.tenant_id AND u.id = f.owner_id
  WHERE f.tenant_id = ${tenantId}::uuid AND (f.owner_id = ${userId}::uuid OR f.shared) AND ${where}
  ORDER BY f.name, f.created_at`;

/**
 * `/api/saved-filters`: favourites of the search bar, per user, optionally shared with the tenant. A user
 * sees their own and the shared ones; only the owner or a tenant admin deletes a shared one.
 */
export default async function savedFiltersRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.platform;

  app.get<{ Querystring: { view?: string } }>('/saved-filters', async (request) => {
    const { tenant, user, schema, ability } = request.session;
    const view = request.query.view;
    if (view !== undefined) readableView(schema, ability, view);
    const [result] = await db.batch(tenant.id, [visibleSql(tenant.id, user.id, view === undefined ? sql`TRUE` : sql`f.view = ${view}`)]);
    return { data: result.rows };
  });

  app.post<{ Body: CreateBody }>('/saved-filters', { schema: { body: createBody } }, async (request, reply) => {
    const { tenant, user, schema, ability } = request.session;
    const { view, name, state, shared = false } = request.body;
    readableView(schema, ability, view);
    if (JSON.stringify(state).length > MAX_STATE_CHARS)
      throw AtriumError.invalidField('state', 'size', `must be at most ${MAX_STATE_CHARS} characters of JSON`);
    const id = randomUUID();
    const [, result] = await db.batch(tenant.id, [
      sql`INSERT INTO core_saved_filters (tenant_id, id, owner_id, view, name, state, shared) VALUES (${tenant.id}::uuid, ${id}::uuid, ${user.id}::uuid, ${view}, ${name.trim()}, ${JSON.stringify(state)}::jsonb, ${shared})`,
      visibleSql(tenant.id, user.id, sql`f.id = ${id}::uuid`),
    ]);
    reply.code(201);
    return result.rows[0];
  });

  app.delete<{ Params: { id: string } }>('/saved-filters/:id', async (request, reply) => {
    const { tenant, user } = request.session;
    if (!isUuid(request.params.id)) throw AtriumError.notFound();
    await db.transaction(tenant.id, async (tx) => {
      const [found] = await tx.rows<{ mine: boolean }>(visibleSql(tenant.id, user.id, sql`f.id = ${request.params.id}::uuid`));
      if (!found) throw AtriumError.notFound();
      if (!found.mine && !isAdmin(request)) throw AtriumError.forbidden('Only its owner or an administrator may delete a shared favourite');
      await tx.query(sql`DELETE FROM core_saved_filters WHERE tenant_id = ${tenant.id}::uuid AND id = ${request.params.id}::uuid`);
    });
    return reply.code(204).send();
  });
}
