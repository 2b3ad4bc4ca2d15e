import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';
import { readableView } from '../engine/readable-view.ts';
import { sql } from '../store/sql.ts';

const putBody = {
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  properties: { columns: { type: 'array', items: { type: 'string', maxLength: 100 }, uniqueItems: true, maxItems: 200 } },
} as const;

/**
 * `/api/view-settings/VIEW`: what one user chose for a view, today the list's columns. Columns the user may
 * no longer read are dropped when read back, so a role change never leaks a field through a setting.
 */
export default async function viewSettingsRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.platform;

  app.get<{ Params: { view: string } }>('/view-settings/:view', async (request) => {
    const { tenant, user, schema, ability } = request.session;
    const { readable } = readableView(schema, ability, request.params.view);
    const [result] = await db.batch(tenant.id, [
      sql`SELECT settings FROM core_view_settings WHERE tenant_id = ${tenant.id}::uuid AND user_id = ${user.id}::uuid AND view = ${request.params.view}`,
    ]);
    const settings = result.rows[0]?.settings as { columns?: string[] } | undefined;
    return settings?.columns ? { columns: settings.columns.filter((c) => readable.has(c)) } : {};
  });

  app.put<{ Params: { view: string }; Body: { columns: string[] } }>(
    '/view-settings/:view',
    { schema: { body: putBody } },
    async (request) => {
      const { tenant, user, schema, ability } = request.session;
      const { model, readable } = readableView(schema, ability, request.params.view);
      const { columns } = request.body;
      const unknown = columns.flatMap((c, i) =>
        readable.has(c) && model.fields[c] ? [] : [{ field: `columns.${i}`, rule: 'field', message: `unknown field "${c}"` }],
      );
      if (unknown.length > 0) throw AtriumError.validation(unknown);
      await db.batch(tenant.id, [
        sql`INSERT INTO core_view_settings (tenant_id, user_id, view, settings) VALUES (${tenant.id}::uuid, ${user.id}::uuid, ${request.params.view}, ${JSON.stringify({ columns })}::jsonb)
      ON CONFLICT (tenant_id, user_id, view) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
      ]);
      return { columns };
    },
  );
}
