import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AtriumError } from '../../kernel/errors.ts';
import { DatabaseRateLimitStore } from './rate-limit-store.ts';

/**
 * Registers the attempt limit of logins and sign-ups in this plugin's scope (counted in the database, so that
 * every node shares the count) and returns the route config a limited route carries.
 */
export async function attemptLimit(app: FastifyInstance): Promise<{ rateLimit: { max: number; timeWindow: number } }> {
  const { platform } = app;
  await app.register(rateLimit, {
    global: false,
    store: class extends DatabaseRateLimitStore {
      constructor() {
        super(platform.db);
      }
    },
    max: platform.config.auth.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () => new AtriumError('ATR_ERR_RATE_LIMITED'),
  });
  return { rateLimit: { max: platform.config.auth.rateLimitPerMinute, timeWindow: 60_000 } };
}
