import type { Platform } from '../engine/platform.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The services every route shares, built once by the composition root (platform/server.ts). */
    platform: Platform;
  }
}
