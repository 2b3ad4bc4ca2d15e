import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AtriumError } from '../kernel/errors.ts';

/** Node's parser errors as the API's errors. */
function errorOf(code: string | undefined): AtriumError {
  if (code === 'HPE_HEADER_OVERFLOW') return new AtriumError('ATR_ERR_HEADERS_TOO_LARGE');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AtriumError('ATR_ERR_REQUEST_TIMEOUT');
  return AtriumError.invalidField('request', 'http', 'is not valid HTTP');
}

/**
 * The server's 'clientError' handler: requests Node's HTTP parser refuses before fastify sees them (a URL
 * or headers over the size limit, a malformed request line) get the API's error shape and the same
 * security headers as every other answer, instead of Node's bare text.
 */
export function clientErrorHandler(
  securityHeaders: (request: IncomingMessage, response: ServerResponse) => void,
): (error: NodeJS.ErrnoException, socket: Socket) => void {
  // The headers are the same on every answer: collected once, as helmet sets them on a response.
  const headers = new Map<string, string>();
  securityHeaders(
    {} as IncomingMessage,
    {
      setHeader: (name: string, value: string | string[]) => headers.set(name, String(value)),
      removeHeader: (name: string) => headers.delete(name),
    } as unknown as ServerResponse,
  );
  const headerLines = [...headers].map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
    const answer = errorOf(error.code);
    const text = JSON.stringify(answer.toBody());
    socket.end(
      `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Request-Id: ${randomUUID()}\r\n${headerLines}Connection: close\r\n\r\n${text}`,
    );
  };
}
