import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError, type FieldProblem } from '../../kernel/errors.ts';
import { raw, sql } from '../../store/sql.ts';
import type { RolePermissionsManifest } from '../../kernel/manifest/manifest-types.ts';
import { builtinPermissions, BUILTIN_ROLES } from '../../engine/rbac/abilities.ts';
import { permissionProblems } from '../../kernel/registry/permission-problems.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { requestRecords } from '../request-records.ts';

const ROLE_NAME = '^[a-z][a-z0-9_]{0,40}$';
const roleProperties = {
  name: { type: 'string', pattern: ROLE_NAME },
  label: { type: ['string', 'null'], maxLength: 120 },
  permissions: { type: 'object' },
};
const createBody = { type: 'object', additionalProperties: false, required: ['name', 'permissions'], properties: roleProperties };
const patchBody = { type: 'object', additionalProperties: false, properties: roleProperties };
const RETURNING = 'id, name, label, builtin, permissions';

interface RoleRow {
  id: string;
  name: string;
  label: string | null;
  builtin: boolean;
  permissions: RolePermissionsManifest;
}

/** A tenant role's permissions, in the manifest shape, checked against the tenant's models. */
function checkPermissions(schema: TenantSchema, permissions: Record<string, unknown>): RolePermissionsManifest {
  const problems: FieldProblem[] = [];
  for (const [modelId, permission] of Object.entries(permissions)) {
    const model = schema.model(modelId);
    if (!model || model.system) problems.push({ field: `permissions.${modelId}`, rule: 'model', message: `unknown model "${modelId}"` });
    else
      for (const [path, message] of permissionProblems(model, permission))
        problems.push({ field: `permissions.${modelId}${path.replaceAll('/', '.')}`, rule: 'permission', message });
  }
  if (problems.length > 0) throw AtriumError.validation(problems);
  return permissions as RolePermissionsManifest;
}

/** A label as stored: trimmed, and none when blank. */
const labelOf = (label: string | null | undefined): string | null => label?.trim() || null;

/** Builtin roles show the permissions they get from the enabled modules. */
function present(schema: TenantSchema, role: RoleRow): RoleRow {
  return role.builtin ? { ...role, permissions: Object.assign({}, ...builtinPermissions(schema, role.name)) } : role;
}

export default async function rolesRoutes(app: FastifyInstance): Promise<void> {
  const { db, bus } = app.platform;
  const tenantOf = (request: FastifyRequest) => request.session.tenant.id;

  app.get('/admin/roles', async (request) => {
    const [result] = await db.batch(tenantOf(request), [
      sql`SELECT id, name, label, builtin, permissions FROM core_roles WHERE tenant_id = ${tenantOf(request)}::uuid ORDER BY builtin DESC, name`,
    ]);
    return { data: (result.rows as RoleRow[]).map((r) => present(request.session.schema, r)) };
  });

  app.post<{ Body: { name: string; label?: string | null; permissions: Record<string, unknown> } }>(
    '/admin/roles',
    { schema: { body: createBody } },
    async (request, reply) => {
      const { name } = request.body;
      const permissions = checkPermissions(request.session.schema, request.body.permissions);
      if ((BUILTIN_ROLES as readonly string[]).includes(name)) throw AtriumError.conflict(`"${name}" is a builtin role`);
      const tenantId = tenantOf(request);
      const id = randomUUID();
      const author = request.session.user.id;
      const { write } = requestRecords(request);
      const role = await write.coreTransaction(async (unit) => {
        write.touched(unit, 'core.role', id, 'created', ['name', 'label', 'builtin', 'permissions']);
        const { results } = await write.commitWithResults(
          unit,
          sql`INSERT INTO core_roles (tenant_id, id, name, label, builtin, permissions, created_by, updated_by) VALUES (${tenantId}::uuid, ${id}::uuid, ${name}, ${labelOf(request.body.label)}, false, ${JSON.stringify(permissions)}::jsonb, ${author}::uuid, ${author}::uuid) RETURNING ${raw(RETURNING)}`,
        );
        return results[0].rows[0];
      });
      await bus.control({ kind: 'tenant', tenantId });
      return reply.code(201).send(role);
    },
  );

  app.patch<{ Params: { id: string }; Body: { name?: string; label?: string | null; permissions?: Record<string, unknown> } }>(
    '/admin/roles/:id',
    { schema: { body: patchBody } },
    async (request) => {
      const { id } = request.params;
      if (!isUuid(id)) throw AtriumError.notFound();
      const permissions = request.body.permissions ? checkPermissions(request.session.schema, request.body.permissions) : undefined;
      if (request.body.name && (BUILTIN_ROLES as readonly string[]).includes(request.body.name))
        throw AtriumError.conflict(`"${request.body.name}" is a builtin role`);
      const tenantId = tenantOf(request);
      const { write } = requestRecords(request);
      const role = await write.coreTransaction(async (unit) => {
        const [result] = await unit.tx.query(sql`UPDATE core_roles SET name = coalesce(${request.body.name ?? null}, name),
          label = CASE WHEN ${'label' in request.body}::boolean THEN ${labelOf(request.body.label)}::text ELSE label END, permissions = coalesce(${permissions ? JSON.stringify(permissions) : null}::jsonb, permissions),
          version = version + 1, updated_at = now(), updated_by = ${request.session.user.id}::uuid WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid AND NOT builtin RETURNING ${raw(RETURNING)}`);
        if (result.rows.length === 0) {
          const exists = await unit.tx.rows(sql`SELECT builtin FROM core_roles WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid`);
          if (exists.length === 0) throw AtriumError.notFound();
          throw AtriumError.conflict('Builtin roles take their permissions from the modules and cannot be changed');
        }
        write.touched(unit, 'core.role', id, 'updated', Object.keys(request.body));
        await write.commitWithResults(unit);
        return result.rows[0];
      });
      await bus.control({ kind: 'tenant', tenantId });
      return role;
    },
  );
}
