import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { Hub } from '../../realtime/hub.ts';
import { Retention } from '../../engine/events/retention.ts';
import { allowedOrigins, MAX_MESSAGE_BYTES, wsRoute } from './ws-route.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This node's realtime side: the socket hub and the event log's retention job. */
    realtime: { hub: Hub; retention: Retention };
  }
}

/** Realtime: model events over websockets, per tenant and per ability, from the outbox (core_events). */
async function events(app: FastifyInstance): Promise<void> {
  const { config, db, log } = app.platform;
  const origins = allowedOrigins(config.origins);
  const hub = new Hub(app.platform, config.events);
  const retention = new Retention(db, config.events.retentionDays, log);
  app.decorate('realtime', { hub, retention });
  // Added before @fastify/websocket's own preClose, which closes what is left without a code and stops the server.
  app.addHook('preClose', async () => hub.stop());
  await app.register(websocket, {
    options: { maxPayload: MAX_MESSAGE_BYTES },
    // A frame too large or not valid UTF-8 is the client's fault (ws has already closed with 1009 or 1007): not an error of ours.
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error }, 'websocket closed on a protocol error');
      socket.terminate();
    },
  });
  wsRoute(app, hub, origins);
  app.addHook('onReady', async () => {
    hub.start();
    retention.start();
  });
  app.addHook('onClose', async () => retention.stop());
}

export default fp(events, { name: 'atrium-events', dependencies: ['atrium-auth'] });
