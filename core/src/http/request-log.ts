import type { FastifyRequest } from 'fastify';

/**
 * How a request appears in the logs: method, path, host and address — never the Authorization header,
 * and never the websocket's `?token=` (it is replaced).
 */
export function requestForLog(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: request.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]'),
    host: request.headers.host,
    remoteAddress: request.ip,
  };
}
