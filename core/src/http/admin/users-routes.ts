import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { requestRecords } from '../request-records.ts';
import { AtriumError } from '../../kernel/errors.ts';
import { hashPassword } from '../../engine/auth/password.ts';
import { loginSalt, loginSaltOfUser } from '../../engine/auth/login-salt.ts';
import { join, sql, type Sql } from '../../store/sql.ts';
import { expectSql } from '../../store/refusal-sql.ts';
import type { Transaction } from '../../store/database.ts';
import { userLimitSql } from '../../engine/plans/plan-limit-sql.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';

const userFields = {
  name: { type: 'string', maxLength: 100, pattern: '\\S' },
  email: { type: 'string', format: 'email', maxLength: 320 },
  password: { type: 'string', minLength: 8, maxLength: 200 },
  roles: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 60 }, uniqueItems: true, maxItems: 50 },
  active: { type: 'boolean' },
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email', 'password', 'roles'],
  properties: { name: userFields.name, email: userFields.email, password: userFields.password, roles: userFields.roles },
};
const patchBody = {
  type: 'object',
  additionalProperties: false,
  properties: { name: userFields.name, roles: userFields.roles, active: userFields.active, password: userFields.password },
};

interface UserBody {
  name?: string;
  email?: string;
  password?: string;
  roles?: string[];
  active?: boolean;
}

const listSql = (tenantId: string, where: Sql): Sql => sql`SELECT u.id, u.name, u.email, u.active, u.created_at, u.updated_at,
    coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM core_user_roles ur JOIN core_roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
              WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id), '{}') AS roles
  FROM core_users u WHERE u.tenant_id = ${tenantId}::uuid AND ${where} ORDER BY u.name, u.id`;

/** Replaces a user's roles; every name must be a role of the tenant (400 naming the unknown ones). */
async function setRoles(tx: Transaction, tenantId: string, userId: string, roles: string[]): Promise<void> {
  const known = await tx.rows<{ id: string; name: string }>(
    sql`SELECT id, name FROM core_roles WHERE tenant_id = ${tenantId}::uuid AND name = ANY(${roles}::text[])`,
  );
  const unknown = roles.filter((r) => !known.some((k) => k.name === r));
  if (unknown.length > 0)
    throw AtriumError.validation(unknown.map((r) => ({ field: 'roles', rule: 'role', message: `unknown role "${r}"` })));
  await tx.query(
    sql`DELETE FROM core_user_roles WHERE tenant_id = ${tenantId}::uuid AND user_id = ${userId}::uuid`,
    sql`INSERT INTO core_user_roles (tenant_id, user_id, role_id) SELECT ${tenantId}::uuid, ${userId}::uuid, unnest(${known.map((k) => k.id)}::uuid[])`,
  );
}

/** The tenant must keep at least one active admin: checked inside the transaction that would remove the last. */
const keepAnAdmin = (tenantId: string): Sql =>
  sql`SELECT ${expectSql(
    sql`(SELECT count(*) FROM core_users u
    JOIN core_user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id JOIN core_roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
    WHERE u.tenant_id = ${tenantId}::uuid AND u.active AND r.name = 'admin') > 0`,
    'last_admin',
  )}`;

export default async function usersRoutes(app: FastifyInstance): Promise<void> {
  const { db, bus, config } = app.platform;

  app.get('/admin/users', async (request) => {
    const [result] = await db.batch(request.session.tenant.id, [listSql(request.session.tenant.id, sql`TRUE`)]);
    return { data: result.rows };
  });

  app.post<{ Body: UserBody }>('/admin/users', { schema: { body: createBody } }, async (request, reply) => {
    const tenantId = request.session.tenant.id;
    const { name, email, password, roles } = request.body as Required<UserBody>;
    const id = randomUUID();
    const hash = await hashPassword(password, config.auth.passwordCost, await loginSalt(db, email));
    const { write } = requestRecords(request);
    const user = await write.coreTransaction(async (unit) => {
      const author = request.session.user.id;
      await unit.tx.query(
        sql`INSERT INTO core_users (tenant_id, id, email, name, password_hash, created_by, updated_by) VALUES (${tenantId}::uuid, ${id}::uuid, ${email.toLowerCase()}, ${name}, ${hash}, ${author}::uuid, ${author}::uuid)`,
      );
      await setRoles(unit.tx, tenantId, id, roles);
      write.touched(unit, 'core.user', id, 'created', ['name', 'email', 'active']);
      unit.checks.push(...userLimitSql(config.plans, tenantId));
      const { results } = await write.commitWithResults(unit, listSql(tenantId, sql`u.id = ${id}::uuid`));
      return results[0].rows[0];
    });
    return reply.code(201).send(user);
  });

  app.patch<{ Params: { id: string }; Body: UserBody }>('/admin/users/:id', { schema: { body: patchBody } }, async (request) => {
    const tenantId = request.session.tenant.id;
    const { id } = request.params;
    if (!isUuid(id)) throw AtriumError.notFound();
    const { name, roles, active, password } = request.body;
    const hash = password ? await hashPassword(password, config.auth.passwordCost, await loginSaltOfUser(db, tenantId, id)) : undefined;
    const { write } = requestRecords(request);
    const user = await write.coreTransaction(async (unit) => {
      // One admin change at a time per tenant, so two admins cannot demote each other at once.
      await unit.tx.query(sql`SELECT 1 FROM core_tenants WHERE id = ${tenantId}::uuid FOR UPDATE`);
      // The runtime role may write a password hash but never read one: only set what was given.
      const sets = [sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${request.session.user.id}::uuid`];
      if (name !== undefined) sets.push(sql`name = ${name}`);
      if (active !== undefined) sets.push(sql`active = ${active}`);
      if (hash !== undefined) sets.push(sql`password_hash = ${hash}`);
      // A new password or a deactivation ends every earlier token: reactivating the user later brings none back.
      if (hash !== undefined || active === false) sets.push(sql`tokens_valid_after = now()`);
      const [found] = await unit.tx.query(
        sql`UPDATE core_users SET ${join(sets, ', ')} WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid RETURNING id`,
      );
      if (found.rows.length === 0) throw AtriumError.notFound();
      if (roles) await setRoles(unit.tx, tenantId, id, roles);
      // The event names the fields of core.user that changed (a password is none: it never reaches an event).
      write.touched(
        unit,
        'core.user',
        id,
        'updated',
        Object.keys({ ...(name !== undefined && { name }), ...(active !== undefined && { active }) }),
      );
      const { results } = await write.commitWithResults(unit, keepAnAdmin(tenantId), listSql(tenantId, sql`u.id = ${id}::uuid`));
      return results[1].rows[0];
    });
    await bus.control({ kind: 'user', tenantId, userId: id });
    return user;
  });
}
