import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import type { ViewPatchManifest } from '../../kernel/manifest/manifest-types.ts';
import type { ViewDef } from '../../kernel/registry/registry-types.ts';
import { sql } from '../../store/sql.ts';
import { viewPatchProblems } from '../../engine/view-patch-problems.ts';
import { announceMetaChanged } from '../../engine/meta-changed.ts';
import { requestRecords } from '../request-records.ts';

const fieldName = { type: 'string', minLength: 1, maxLength: 100 } as const;
const fieldList = { type: 'array', maxItems: 100, items: fieldName } as const;
/** One patch of a view, as a module's extension declares it: what PUT takes and GET gives (openapi-admin.ts). */
export const viewPatch = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: fieldName,
    rows: { type: 'array', maxItems: 100, items: { ...fieldList, minItems: 1 } },
    columns: fieldList,
    card: fieldList,
  },
} as const;
const putBody = {
  type: 'object',
  additionalProperties: false,
  required: ['patches'],
  properties: {
    patches: {
      type: 'array',
      maxItems: 100,
      items: viewPatch,
    },
  },
} as const;

interface AdminView {
  view: string;
  model: string;
  type: ViewDef['type'];
  label: string | null;
  patches: ViewPatchManifest[];
}

const present = (view: ViewDef, patches: ViewPatchManifest[] = []): AdminView => ({
  view: view.id,
  model: view.model,
  type: view.type,
  label: view.label ?? null,
  patches,
});

/**
 * `/api/admin/views`: the tenant's own patches of the modules' views (docs/api.md, "View patches"), of the
 * shape a module's extension declares. A change commits with its event (core.view_patch), then every node
 * drops the tenant's cached meta and its open shells are told `meta_changed`.
 */
export default async function viewsRoutes(app: FastifyInstance): Promise<void> {
  const { db, bus, schemas } = app.platform;

  /** The view as the tenant's modules make it, before its own patches; 404 when the tenant has no such view. */
  const moduleView = (request: FastifyRequest<{ Params: { view: string } }>): ViewDef => {
    const view = schemas.for(request.session.schema.enabled).views.get(request.params.view);
    if (!view) throw AtriumError.notFound(`No view "${request.params.view}" in your company's modules`);
    return view;
  };

  /** Replaces the view's patches (none: the modules' view again), with the event of core.view_patch, then tells every node. */
  const save = async (
    request: FastifyRequest<{ Params: { view: string } }>,
    view: ViewDef,
    patches: ViewPatchManifest[],
  ): Promise<void> => {
    const tenantId = request.session.tenant.id;
    const author = request.session.user.id;
    const { write } = requestRecords(request);
    const cursor = await write.coreTransaction(async (unit) => {
      const [row] = await unit.tx.rows<{ id: string; created: boolean }>(
        sql`INSERT INTO core_view_patches (tenant_id, id, view, patches, created_by, updated_by)
            VALUES (${tenantId}::uuid, ${randomUUID()}::uuid, ${view.id}, ${JSON.stringify(patches)}::jsonb, ${author}::uuid, ${author}::uuid)
            ON CONFLICT (tenant_id, view) DO UPDATE SET patches = EXCLUDED.patches, version = core_view_patches.version + 1,
              updated_at = now(), updated_by = EXCLUDED.updated_by
            RETURNING id, (xmax = 0) AS created`,
      );
      write.touched(unit, 'core.view_patch', row.id, row.created ? 'created' : 'updated', row.created ? ['view', 'patches'] : ['patches']);
      return (await write.commitWithResults(unit)).last?.seq;
    });
    await announceMetaChanged(bus, tenantId, cursor);
  };

  app.get('/admin/views', async (request) => {
    const { tenant, schema } = request.session;
    const [result] = await db.batch(tenant.id, [sql`SELECT view, patches FROM core_view_patches WHERE tenant_id = ${tenant.id}::uuid`]);
    const patches = new Map(result.rows.map((r) => [r.view as string, r.patches as ViewPatchManifest[]]));
    return { data: [...schemas.for(schema.enabled).views.values()].map((view) => present(view, patches.get(view.id))) };
  });

  app.put<{ Params: { view: string }; Body: { patches: ViewPatchManifest[] } }>(
    '/admin/views/:view',
    { schema: { body: putBody } },
    async (request) => {
      const view = moduleView(request);
      const model = request.session.schema.model(view.model)!;
      const problems = viewPatchProblems(view, model, request.body.patches);
      if (problems.length > 0) throw AtriumError.validation(problems);
      await save(request, view, request.body.patches);
      return present(view, request.body.patches);
    },
  );

  app.delete<{ Params: { view: string } }>('/admin/views/:view', async (request, reply) => {
    await save(request, moduleView(request), []);
    return reply.code(204).send();
  });
}
