import { createHmac } from 'node:crypto';

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A bearer token as Atrium signs it (HS256, claims sub, tid, iss_ms), so seeded users need no login. */
export function signToken(secret: string, tenantId: string, userId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify({ sub: userId, tid: tenantId, iss_ms: Date.now(), iat: now, exp: now + 3 * 3600 }));
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}
