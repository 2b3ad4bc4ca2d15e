import { fileURLToPath } from 'node:url';
import t from 'tap';
import { sql, startTestApp } from '@atrium/core/testing';

/*
 * The search box's "contains" ($ilike '%text%') on the lead's name and, through the customer's display, on the
 * partner's display name: both fields declare `"index": "trigram"`, so start-up creates pg_trgm and a GIN
 * trigram index on each column; the search still answers through the record engine, per tenant.
 */
const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const { db } = app.app.platform;
const mine = await app.signup();
const theirs = await app.signup();

const create = async (who: typeof mine, model: string, payload: object) => {
  const response = await who.request({ method: 'POST', url: `/api/records/${model}`, payload });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json();
};
const names = async (who: typeof mine, filter: object) => {
  const response = await who.request({ method: 'GET', url: `/api/records/crm.lead?filter=${encodeURIComponent(JSON.stringify(filter))}` });
  if (response.statusCode !== 200) throw new Error(response.body);
  return response
    .json()
    .data.map((r: { name: string }) => r.name)
    .sort();
};

t.test('start-up creates pg_trgm and a GIN trigram index on each declared column', async (t) => {
  const extensions = await db.system<{ extname: string }>(sql`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`);
  t.equal(extensions.length, 1);
  const indexes = await db.system<{ indexname: string; indexdef: string }>(
    sql`SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('crm_lead_name_trgm_idx', 'contacts_partner_display_name_trgm_idx') ORDER BY indexname`,
  );
  t.same(
    indexes.map((i) => i.indexname),
    ['contacts_partner_display_name_trgm_idx', 'crm_lead_name_trgm_idx'],
  );
  for (const index of indexes) t.match(index.indexdef, /USING gin \(\w+ gin_trgm_ops\)/, index.indexname);
});

t.test('a contains search finds leads by name and by customer, in the tenant only', async (t) => {
  const globex = await create(mine, 'contacts.partner', { name: 'Globex Trading', is_company: true });
  await create(mine, 'crm.lead', { name: 'Forklift rental', customer: globex.id });
  await create(mine, 'crm.lead', { name: 'Globe lamps' });
  await create(mine, 'crm.lead', { name: 'Paper' });
  const theirGlobex = await create(theirs, 'contacts.partner', { name: 'Globex Trading' });
  await create(theirs, 'crm.lead', { name: 'Globe maps', customer: theirGlobex.id });

  t.same(await names(mine, { name: { $ilike: '%glob%' } }), ['Globe lamps']);
  t.same(await names(mine, { customer: { $ilike: '%glob%' } }), ['Forklift rental']);
  t.same(await names(mine, { $or: [{ name: { $ilike: '%LOB%' } }, { customer: { $ilike: '%lob%' } }] }), [
    'Forklift rental',
    'Globe lamps',
  ]);
  t.same(await names(theirs, { $or: [{ name: { $ilike: '%glob%' } }, { customer: { $ilike: '%glob%' } }] }), ['Globe maps']);
  // Two-letter terms have no whole trigram: the index cannot narrow them, the answer is the same.
  t.same(await names(mine, { name: { $ilike: '%pa%' } }), ['Paper']);
});
