import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { join, sql } from '../../store/sql.ts';
import { requestRecords } from '../request-records.ts';
import { canonicalLocale } from '../../kernel/locale.ts';

const currencies = new Set(Intl.supportedValuesOf('currency'));

const settingsBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    locale: { type: 'string', minLength: 2, maxLength: 35 },
    address: { type: 'string', maxLength: 500 },
  },
} as const;

/** `/api/admin/settings`: the company's name, address (printed on its documents), currency (money precision follows it) and locale. */
export default async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const { db, bus } = app.platform;
  const select = (tenantId: string) => sql`SELECT id, slug, name, address, currency, locale FROM core_tenants WHERE id = ${tenantId}::uuid`;

  app.get('/admin/settings', async (request) => {
    const [result] = await db.batch(request.session.tenant.id, [select(request.session.tenant.id)]);
    return result.rows[0];
  });

  app.patch<{ Body: { name?: string; address?: string; currency?: string; locale?: string } }>(
    '/admin/settings',
    { schema: { body: settingsBody } },
    async (request) => {
      const { name, address, currency, locale } = request.body;
      if (currency !== undefined && !currencies.has(currency))
        throw AtriumError.invalidField('currency', 'currency', `"${currency}" is not an ISO 4217 currency`);
      const canonical = locale === undefined ? undefined : canonicalLocale(locale);
      if (locale !== undefined && canonical === undefined)
        throw AtriumError.invalidField('locale', 'locale', `"${locale}" is not a language and region this server can format in`);
      const tenantId = request.session.tenant.id;
      const sets = [sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${request.session.user.id}::uuid`];
      if (name !== undefined) sets.push(sql`name = ${name}`);
      if (address !== undefined) sets.push(sql`address = ${address.trim()}`);
      if (currency !== undefined) sets.push(sql`currency = ${currency}`);
      if (canonical !== undefined) sets.push(sql`locale = ${canonical}`);
      const { write } = requestRecords(request);
      const settings = await write.coreTransaction(async (unit) => {
        await unit.tx.query(sql`UPDATE core_tenants SET ${join(sets, ', ')} WHERE id = ${tenantId}::uuid`);
        write.touched(unit, 'core.company', tenantId, 'updated', Object.keys(request.body));
        const { results } = await write.commitWithResults(unit, select(tenantId));
        return results[0].rows[0];
      });
      await bus.control({ kind: 'tenant', tenantId });
      return settings;
    },
  );
}
