import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What an `X-Request-Id` from a proxy may look like to be kept: short, and nothing a log line could trip on. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id of a request: the proxy's `X-Request-Id` when it sent a well-formed one (so one id follows the
 * request from the proxy's log to ours), else a fresh UUID. Every log line of the request carries it as
 * `reqId`, the response carries it back as `X-Request-Id`, and the events the request caused keep it.
 */
export function requestIdOf(request: IncomingMessage): string {
  const forwarded = request.headers['x-request-id'];
  return typeof forwarded === 'string' && FORWARDED_ID.test(forwarded) ? forwarded : randomUUID();
}
