import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { sql } from '../../store/sql.ts';
import { createTenant } from '../../engine/tenancy/create-tenant.ts';
import { verifyNothing, verifyPasswords } from '../../engine/auth/password.ts';
import { tenantSlugFromHost } from './host-tenant.ts';
import { confirmEmail, verificationMailSql } from '../../engine/auth/email-verification.ts';
import { attemptLimit } from './attempt-limit.ts';

const signupBody = {
  type: 'object',
  additionalProperties: false,
  required: ['company', 'name', 'email', 'password'],
  properties: {
    // Not blank (a non-space character): "" or only spaces names no company and no one.
    company: { type: 'string', maxLength: 100, pattern: '\\S' },
    name: { type: 'string', maxLength: 100, pattern: '\\S' },
    email: { type: 'string', format: 'email', maxLength: 320 },
    password: { type: 'string', minLength: 8, maxLength: 200 },
  },
} as const;

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 320 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
    tenant: { type: 'string', minLength: 1, maxLength: 60 },
  },
} as const;

interface LoginRow {
  tenant_id: string;
  id: string;
  name: string;
  email: string;
  active: boolean;
  password_hash: string;
  slug: string;
  tenant_name: string;
  currency: string;
  locale: string;
  suspended: boolean;
}

const verifyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

/** Where the shell is served for this request: the links of mails point there. */
const originOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/**
 * Sign-up, login (rate-limited per client address, counted in the database so that every node shares the
 * count; the address is X-Forwarded-For's only behind a trusted proxy, see trustProxy) and `GET /api/me`.
 */
export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const { platform } = app;
  const limited = await attemptLimit(app);

  app.post<{ Body: { company: string; name: string; email: string; password: string } }>(
    '/auth/signup',
    { schema: { body: signupBody }, config: limited },
    async (request, reply) => {
      const { company, name, email, password } = request.body;
      const { tenant, user } = await createTenant(
        platform,
        { company, admin: { name, email, password } },
        {
          rows: (tenantId, adminId) =>
            verificationMailSql({ tenantId, user: { id: adminId, name, email: email.toLowerCase() }, company, origin: originOf(request) }),
        },
      );
      platform.mail.wake();
      return reply.code(201).send({
        token: app.signToken({ sub: user.id, tid: tenant.id }),
        user: { ...user, active: true, roles: ['admin'], email_verified: false },
        tenant,
      });
    },
  );

  app.post<{ Body: { email: string; password: string; tenant?: string } }>(
    '/auth/login',
    { schema: { body: loginBody }, config: limited },
    async (request) => {
      const { email, password } = request.body;
      // On a tenant's subdomain the host says which tenant: no tenant field needed, and no other tenant possible.
      const tenant = tenantSlugFromHost(request.headers.host, platform.config.baseDomain) ?? request.body.tenant;
      const candidates = await platform.db
        .system<LoginRow>(sql`SELECT u.tenant_id, u.id, u.name, u.email, u.active, u.password_hash, t.slug, t.name AS tenant_name, t.currency, t.locale, t.suspended_at IS NOT NULL AS suspended
      FROM core_users u JOIN core_tenants t ON t.id = u.tenant_id WHERE u.email = ${email.toLowerCase()} ORDER BY t.slug`);
      const inTenant = candidates.filter((c) => !tenant || c.slug === tenant);
      // One derivation for all of the email's accounts (they share a salt): the time does not tell how many there are.
      const verdicts = await verifyPasswords(
        password,
        inTenant.map((row) => row.password_hash),
      );
      const matching = inTenant.filter((_, i) => verdicts[i]);
      // As slow when nobody has this email: the answer time must not tell which emails exist.
      if (inTenant.length === 0) await verifyNothing(password, platform.config.auth.passwordCost);
      const active = matching.filter((m) => m.active);
      if (active.length === 0) throw AtriumError.unauthorized('Wrong email or password');
      if (active.length > 1)
        throw new AtriumError(
          'ATR_ERR_TENANT_REQUIRED',
          undefined,
          // The picker shows the companies' names; the slug is what the next attempt sends.
          active.map((m) => ({ slug: m.slug, name: m.tenant_name })),
        );
      const [row] = active;
      if (row.suspended) throw AtriumError.tenantSuspended();
      return {
        token: app.signToken({ sub: row.id, tid: row.tenant_id }),
        user: { id: row.id, name: row.name, email: row.email, active: true },
        tenant: { id: row.tenant_id, slug: row.slug, name: row.tenant_name, currency: row.currency, locale: row.locale },
      };
    },
  );

  /** A fresh token (new expiry) for a valid one: the shell rotates its token before it expires. */
  app.post('/auth/refresh', { onRequest: app.authenticate }, async (request) => ({
    token: app.signToken({ sub: request.session.user.id, tid: request.session.tenant.id }),
  }));

  /** Logs out everywhere: every token of this user issued until now stops working, on every node. */
  app.post('/auth/logout', { onRequest: app.authenticate }, async (request, reply) => {
    const { user, tenant } = request.session;
    await platform.db.batch(tenant.id, [
      sql`UPDATE core_users SET tokens_valid_after = now() WHERE tenant_id = ${tenant.id}::uuid AND id = ${user.id}::uuid`,
    ]);
    await platform.bus.control({ kind: 'user', tenantId: tenant.id, userId: user.id });
    return reply.code(204).send();
  });

  /** The link of the verification mail: confirms the address (the token is single-use). */
  app.post<{ Body: { token: string } }>('/auth/verify-email', { schema: { body: verifyBody }, config: limited }, async (request) => {
    const confirmed = await confirmEmail(platform.db, request.body.token);
    if (!confirmed) throw AtriumError.notFound('This link is not valid any more: sign in and ask for a new one');
    await platform.bus.control({ kind: 'user', tenantId: confirmed.tenant_id, userId: confirmed.id });
    return { verified: true };
  });

  /** A new verification mail for the signed-in user (the previous link stops working). */
  app.post('/auth/verify-email/resend', { onRequest: app.authenticate, config: limited }, async (request, reply) => {
    const { user, tenant, emailVerified } = request.session;
    if (emailVerified) throw AtriumError.conflict('Your email address is already confirmed');
    await platform.db.transaction('system', (tx) =>
      tx.commit(...verificationMailSql({ tenantId: tenant.id, user, company: tenant.name, origin: originOf(request) })),
    );
    platform.mail.wake();
    return reply.code(202).send({ sent: true });
  });

  app.get('/me', { onRequest: app.authenticate }, async (request) => {
    const { user, tenant, roles, schema, ability, emailVerified } = request.session;
    return {
      user: { ...user, email_verified: emailVerified },
      tenant,
      roles: roles.map((r) => r.name),
      modules: [...schema.enabled].sort(),
      abilities: ability.packedRules(),
    };
  });
}
