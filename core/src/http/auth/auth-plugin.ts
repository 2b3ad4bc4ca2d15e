import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import type { Session } from '../../engine/tenancy/sessions.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { tokenSecret } from './secret.ts';
import { tenantSlugFromHost } from './host-tenant.ts';

export interface TokenClaims {
  sub: string;
  tid: string;
  /** Issue time in milliseconds (iat has only seconds): a logout refuses every token issued before it. */
  iss_ms: number;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: a valid token of an active user, resolved to `request.session`; 401 otherwise. */
    authenticate(request: FastifyRequest): Promise<void>;
    signToken(claims: Omit<TokenClaims, 'iss_ms'>): string;
  }
  interface FastifyRequest {
    session: Session;
  }
}

/**
 * Resolves a bearer token (or, for websockets, a `token` query parameter) into a session. On a tenant's
 * subdomain, a token of another tenant is refused.
 */
export async function sessionFromToken(app: FastifyInstance, token: string | undefined, host?: string): Promise<Session> {
  if (!token) throw AtriumError.unauthorized();
  let claims: TokenClaims;
  try {
    claims = app.jwt.verify<TokenClaims>(token);
  } catch {
    throw AtriumError.unauthorized('The token is invalid or has expired');
  }
  if (!isUuid(claims.sub) || !isUuid(claims.tid) || !Number.isSafeInteger(claims.iss_ms)) throw AtriumError.unauthorized();
  const session = await app.platform.sessions.resolve(claims.tid, claims.sub, claims.iss_ms);
  const hostTenant = tenantSlugFromHost(host, app.platform.config.baseDomain);
  if (hostTenant !== undefined && hostTenant !== session.tenant.slug)
    throw AtriumError.unauthorized('This token belongs to another company');
  return session;
}

async function auth(app: FastifyInstance): Promise<void> {
  const { config } = app.platform;
  await app.register(fastifyJwt, {
    secret: tokenSecret(config.auth.secret, config.dataDir),
    sign: { algorithm: 'HS256', expiresIn: config.auth.tokenTtlSeconds },
    // A token without exp would never expire, however it came to be signed with our key.
    verify: { algorithms: ['HS256'], requiredClaims: ['exp'] },
  });
  app.decorateRequest('session', null as unknown as Session);
  app.decorate('signToken', (claims: Omit<TokenClaims, 'iss_ms'>) => app.jwt.sign({ ...claims, iss_ms: Date.now() }));
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    request.session = await sessionFromToken(app, token, request.headers.host);
  });
}

export default fp(auth, { name: 'atrium-auth', dependencies: ['atrium-errors'] });
