import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { sql } from '../../store/sql.ts';

type Params = { id: string };

/**
 * `/api/admin/mails`: the tenant's outgoing mail, newest first — the mail catcher when no SMTP server is
 * configured (status "caught"), the outbox's state otherwise. Row-level security keeps it to the tenant.
 */
export default async function mailsRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.platform;

  app.get('/admin/mails', async (request) => {
    const tenantId = request.session.tenant.id;
    const [result] = await db.batch(tenantId, [
      sql`SELECT id, model, record_id, recipients, subject, body, status, attempts, last_error, created_at, delivered_at,
        CASE WHEN attachment_name IS NULL THEN NULL ELSE json_build_object('name', attachment_name, 'size', octet_length(attachment)) END AS attachment
      FROM core_mails WHERE tenant_id = ${tenantId}::uuid ORDER BY created_at DESC, id LIMIT 200`,
    ]);
    return { data: result.rows };
  });

  app.get<{ Params: Params }>('/admin/mails/:id/attachment', async (request, reply) => {
    const tenantId = request.session.tenant.id;
    if (!isUuid(request.params.id)) throw AtriumError.notFound();
    const [result] = await db.batch(tenantId, [
      sql`SELECT attachment_name, attachment FROM core_mails
      WHERE tenant_id = ${tenantId}::uuid AND id = ${request.params.id}::uuid AND attachment IS NOT NULL`,
    ]);
    const row = result.rows[0] as { attachment_name: string; attachment: Buffer } | undefined;
    if (!row) throw AtriumError.notFound();
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${row.attachment_name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`)
      .send(row.attachment);
  });
}
