import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The operator's tokens: `op.<claims>.<signature>`, signed with a key derived from the platform's secret for
 * this purpose alone. A tenant's token (a JWT signed with the secret itself) is never one, and an operator
 * token is never a tenant's (it is no JWT).
 */
export class OperatorTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = createHmac('sha256', secret).update('atrium operator tokens').digest();
  }

  sign(email: string): string {
    const claims = Buffer.from(JSON.stringify({ email, exp: Date.now() + this.ttlSeconds * 1000 })).toString('base64url');
    return `op.${claims}.${this.signature(claims)}`;
  }

  /** The operator's email, or undefined for anything but an unexpired token of ours. */
  verify(token: string): string | undefined {
    const [prefix, claims, signature, ...rest] = token.split('.');
    if (prefix !== 'op' || !claims || !signature || rest.length > 0) return undefined;
    if (!timingSafeEqual(digest(signature), digest(this.signature(claims)))) return undefined;
    try {
      const { email, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { email?: unknown; exp?: unknown };
      return typeof email === 'string' && typeof exp === 'number' && exp > Date.now() ? email : undefined;
    } catch {
      return undefined;
    }
  }

  private signature(claims: string): string {
    return createHmac('sha256', this.key).update(claims).digest('base64url');
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares a credential in constant time (whatever its length). */
export const sameSecret = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));
