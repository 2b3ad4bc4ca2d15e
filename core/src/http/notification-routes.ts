import type { FastifyInstance } from 'fastify';
import { markRead, readInbox } from '../engine/notifications/inbox.ts';

const readBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ids'],
  properties: {
    ids: { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'string', format: 'uuid' } },
  },
} as const;

/**
 * `/api/notifications`: the signed-in user's inbox (their own notifications, of records they may read) and
 * its unread count; `POST /api/notifications/read` marks some read, and tells the user's other sockets.
 */
export default async function notificationRoutes(app: FastifyInstance): Promise<void> {
  const { db, bus } = app.platform;

  app.get('/notifications', async (request) => readInbox(db, request.session));

  app.post<{ Body: { ids: string[] } }>('/notifications/read', { schema: { body: readBody } }, async (request) => {
    const { session } = request;
    await markRead(db, session, request.body.ids);
    bus.signal({ kind: 'notification', tenantId: session.tenant.id, userId: session.user.id, ids: [] });
    const { unread } = await readInbox(db, session, []);
    return { unread };
  });
}
