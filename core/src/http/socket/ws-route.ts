import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionFromToken, type TokenClaims } from '../auth/auth-plugin.ts';
import { AtriumError, StartupError } from '../../kernel/errors.ts';
import type { Hub } from '../../realtime/hub.ts';
import { parseCursor, SocketError } from '../../realtime/client-message.ts';

/** Client frames are small JSON objects; a longer one closes the socket (1009) before it is even parsed. */
export const MAX_MESSAGE_BYTES = 4096;

/** The configured browser origins, normalized (`https://erp.example.com`); undefined: the server's own. */
export function allowedOrigins(origins: string[] | undefined): Set<string> | undefined {
  if (!origins) return undefined;
  const bad = origins.filter((o) => !URL.canParse(o) || new URL(o).origin === 'null');
  if (bad.length > 0) throw new StartupError(bad.map((o) => `origins: "${o}" is not an origin such as https://erp.example.com`));
  return new Set(origins.map((o) => new URL(o).origin));
}

/**
 * A browser always says which page opens a socket; a page of another site must not use a token it got
 * hold of. Clients that send no Origin are not browsers and are let through (the token still counts).
 */
function checkOrigin(request: FastifyRequest, allowed: Set<string> | undefined): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  const ok =
    url &&
    (allowed ? allowed.has(url.origin) : url.host === request.headers.host && (url.protocol === 'http:' || url.protocol === 'https:'));
  if (!ok) throw AtriumError.forbidden('This origin may not open a socket here');
}

type WsQuery = { Querystring: { token?: unknown; after?: unknown } };

const tokenOf = (request: FastifyRequest<WsQuery>): string | undefined =>
  typeof request.query.token === 'string' ? request.query.token : undefined;

/** The handshake's `after` (absent: live from now on); anything but one cursor is answered bad_cursor, as in `resume`. */
const afterOf = (request: FastifyRequest<WsQuery>): number | SocketError | undefined =>
  request.query.after === undefined ? undefined : (parseCursor(request.query.after) ?? new SocketError('bad_cursor'));

/**
 * `GET /api/ws?token=…[&after=<cursor>]`: the handshake is checked before the upgrade (403 for a foreign
 * origin, 401 for a missing, bad or expired token, or a deactivated user); the socket then joins the hub,
 * which replays what followed `after` before the socket goes live.
 */
export function wsRoute(app: FastifyInstance, hub: Hub, allowed: Set<string> | undefined): void {
  app.get<WsQuery>(
    '/api/ws',
    {
      websocket: true,
      onRequest: async (request) => {
        checkOrigin(request, allowed);
        request.session = await sessionFromToken(app, tokenOf(request), request.headers.host);
      },
    },
    (socket, request) => {
      // Verified in onRequest: only its lifetime and issue time are read here.
      const { exp, iss_ms: issuedAt } = app.jwt.decode<TokenClaims & { exp: number }>(tokenOf(request)!)!;
      hub.join(socket, request.session, { expiresAt: exp * 1000, issuedAt }, afterOf(request));
    },
  );
}
