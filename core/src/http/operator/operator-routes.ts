import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { operatorTenants } from '../../engine/operator/tenant-directory.ts';
import { setTenantStatus } from '../../engine/operator/tenant-status.ts';
import type { TenantStatus } from '@atrium/protocol';
import { exportTenant } from '../../engine/operator/tenant-export.ts';
import { operatorAudit, operatorAuditSql } from '../../engine/operator/operator-audit.ts';
import { setTenantPlan } from '../../engine/plans/tenant-plan.ts';
import { attemptLimit } from '../auth/attempt-limit.ts';
import { tokenSecret } from '../auth/secret.ts';
import { OperatorTokens, sameSecret } from './operator-token.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The operator's email, on /api/operator/* once their token is checked. */
    operator: string;
  }
}

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email: { type: 'string', minLength: 1, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { plan: { type: 'string', minLength: 1, maxLength: 60 }, status: { type: 'string', enum: ['active', 'suspended'] } },
} as const;

type TenantParams = { Params: { id: string } };

/**
 * `/api/operator/*`: whoever runs the platform, signed in with ATRIUM_OPERATOR_EMAIL and
 * ATRIUM_OPERATOR_PASSWORD (no tenant user, whatever their roles, is an operator). Without both, none of
 * these routes exists (404). Every action on a tenant is audited (core_operator_audit).
 */
export default async function operatorRoutes(app: FastifyInstance): Promise<void> {
  const { platform } = app;
  const credentials = platform.config.operator;
  if (!credentials) return;
  const tokens = new OperatorTokens(
    tokenSecret(platform.config.auth.secret, platform.config.dataDir),
    platform.config.auth.tokenTtlSeconds,
  );
  const limited = await attemptLimit(app);
  app.decorateRequest('operator', '');

  app.post<{ Body: { email: string; password: string } }>(
    '/operator/login',
    { schema: { body: loginBody }, config: limited },
    async (request) => {
      const email = request.body.email.toLowerCase();
      // Both compared, whatever the first says: the answer time tells nothing.
      const ok = [sameSecret(email, credentials.email), sameSecret(request.body.password, credentials.password)].every(Boolean);
      if (!ok) throw AtriumError.unauthorized('Wrong email or password');
      request.log.info({ operator: email }, 'operator signed in');
      return { token: tokens.sign(email), operator: { email } };
    },
  );

  await app.register(async (secured) => {
    secured.addHook('onRequest', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      const email = header?.startsWith('Bearer ') ? tokens.verify(header.slice(7).trim()) : undefined;
      if (email === undefined || email !== credentials.email) throw AtriumError.unauthorized('An operator token is required');
      request.operator = email;
    });

    const tenantOf = async (id: string) => {
      const [tenant] = isUuid(id) ? await operatorTenants(platform, id) : [];
      if (!tenant) throw AtriumError.notFound('No such tenant');
      return tenant;
    };

    secured.get('/operator/me', async (request) => ({ operator: { email: request.operator } }));

    secured.get('/operator/plans', async () => ({
      data: [...platform.config.plans.list.values()].map(({ name, label, limits }) => ({ name, label, limits })),
      default: platform.config.plans.default,
    }));

    secured.get('/operator/tenants', async () => ({ data: await operatorTenants(platform) }));

    secured.patch<TenantParams & { Body: { plan?: string; status?: TenantStatus } }>(
      '/operator/tenants/:id',
      { schema: { body: patchBody } },
      async (request) => {
        const { id } = request.params;
        const before = await tenantOf(id);
        const { plan, status } = request.body;
        if (plan !== undefined && plan !== before.plan)
          await setTenantPlan(platform, id, plan, [operatorAuditSql(id, request.operator, 'plan', { plan })]);
        if (status !== undefined) await setTenantStatus(platform, request.operator, id, status);
        return tenantOf(id);
      },
    );

    secured.get<TenantParams>('/operator/tenants/:id/export', async (request, reply) => {
      const tenant = await tenantOf(request.params.id);
      const exported = await exportTenant(platform, request.operator, tenant.id);
      return reply.header('content-disposition', `attachment; filename="${tenant.slug}-export.json"`).send(exported);
    });

    secured.get<{ Querystring: { tenant?: string } }>('/operator/audit', async (request) => {
      const { tenant } = request.query;
      if (tenant !== undefined && !isUuid(tenant)) throw AtriumError.invalidField('tenant', 'format', 'must be a tenant id');
      return { data: await operatorAudit(platform.db, tenant) };
    });
  });
}
