/**
 * An integration with Atrium through @atrium/client (docs/api.md, "Typed client"): signs in, adds a company to the
 * contacts and lists the companies. Every path, body and answer below is checked by tsc against the OpenAPI document.
 *
 *   ATRIUM_URL=http://127.0.0.1:3000 ATRIUM_EMAIL=you@example.com ATRIUM_PASSWORD=... \
 *     node --import tsx client/examples/partners.ts "Deco Addict"
 */
import { createAtriumClient } from '@atrium/client';

const baseUrl = process.env.ATRIUM_URL ?? 'http://127.0.0.1:3000';
const name = process.argv[2] ?? 'Example Ltd';

const signIn = await createAtriumClient({ baseUrl }).POST('/api/auth/login', {
  body: { email: process.env.ATRIUM_EMAIL ?? '', password: process.env.ATRIUM_PASSWORD ?? '' },
});
if (!signIn.data) throw new Error(`sign-in refused: ${JSON.stringify(signIn.error)}`);
const atrium = createAtriumClient({ baseUrl, token: signIn.data.token });

const created = await atrium.POST('/api/records/contacts.partner', { body: { name, is_company: true } });
if (!created.data) throw new Error(`not created: ${JSON.stringify(created.error)}`);
console.log(`created ${created.data.name} (${created.data.id}) in ${signIn.data.tenant.name}`);

const companies = await atrium.GET('/api/records/contacts.partner', {
  params: { query: { filter: JSON.stringify({ is_company: true }), sort: 'name', limit: 50 } },
});
if (!companies.data) throw new Error(`not listed: ${JSON.stringify(companies.error)}`);
for (const partner of companies.data.data ?? []) console.log(`- ${partner.name}`);
