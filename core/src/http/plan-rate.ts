import type { FastifyReply, FastifyRequest } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';
import { RequestRate } from '../engine/plans/request-rate.ts';

/**
 * onRequest hook, after `authenticate`: counts the request against the tenant's plan (`requestsPerMinute`,
 * read from the cached session) on this node; over it, `429 rate_limited` naming the limit, with Retry-After.
 * Only the routes of the authenticated scope count: not health, metrics, the websocket, login or the operator.
 */
export function planRate(): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const rate = new RequestRate();
  return async (request, reply) => {
    const { plan, tenant } = request.session;
    const max = plan.limits.requestsPerMinute;
    if (max === null) return;
    const retryAfter = rate.take(tenant.id, max);
    if (retryAfter === 0) return;
    reply.header('retry-after', String(retryAfter));
    throw AtriumError.requestsPerMinute(max, rate.current(tenant.id), retryAfter);
  };
}
