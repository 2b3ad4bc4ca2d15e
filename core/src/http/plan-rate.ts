import type { onRequestHookHandler } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';
import { RequestRate } from '../engine/plans/request-rate.ts';

/**
 * onRequest hook, after `authenticate`: counts the request against the tenant's plan (`requestsPerMinute`,
 * read from the cached session) on this node; over it, `429 rate_limited` naming the limit, with Retry-After.
 * Only the routes of the authenticated scope count: not health, metrics, the websocket, login or the operator.
 * A callback hook, not an async one: the allowed path allocates nothing (docs/decisions.md, "Requests per minute").
 */
export function planRate(): onRequestHookHandler {
  const rate = new RequestRate();
  return (request, reply, done) => {
    const { plan, tenant } = request.session;
    const max = plan.limits.requestsPerMinute;
    if (max === null) return done();
    const retryAfter = rate.take(tenant.id, max);
    if (retryAfter === 0) return done();
    reply.header('retry-after', String(retryAfter));
    done(AtriumError.requestsPerMinute(max, rate.current(tenant.id), retryAfter));
  };
}
