import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp, type SignedIn } from '@atrium/core/testing';

// What the quotation editor relies on from the server: products, the opportunity's domain, the read-only states.
const app = await startTestApp({
  modules: ['contacts', 'crm', 'quotations'],
  modulesDir: fileURLToPath(new URL('../..', import.meta.url)),
});
t.teardown(() => app.close());
const admin = await app.signup();
const manager = await app.addUser(admin, ['manager']);
const user = await app.addUser(admin, ['user']);

async function post(who: SignedIn, model: string, payload: object) {
  const response = await who.request({ method: 'POST', url: `/api/records/${model}`, payload });
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
}
const list = async (who: SignedIn, model: string, filter: object) =>
  (await who.request({ method: 'GET', url: `/api/records/${model}?filter=${encodeURIComponent(JSON.stringify(filter))}` })).json();

const acme = await post(admin, 'contacts.partner', { name: 'Acme', is_company: true });
const globex = await post(admin, 'contacts.partner', { name: 'Globex', is_company: true });
const vat = await post(admin, 'quotations.tax', { name: 'VAT 20%', rate: 20 });

t.test('a manager keeps the product catalogue; a salesperson reads it', async (t) => {
  const product = await post(manager, 'quotations.product', {
    name: 'Desk',
    list_price: '499.90',
    description: 'Oak desk, 160 × 80',
    taxes: [vat.id],
  });
  t.match(product, { name: 'Desk', list_price: '499.90', taxes: [{ id: vat.id, display: 'VAT 20%' }] });
  const refused = await user.request({ method: 'POST', url: '/api/records/quotations.product', payload: { name: 'Chair' } });
  t.equal(refused.statusCode, 403, 'a salesperson may not add products');
  t.equal(
    (await user.request({ method: 'PATCH', url: `/api/records/quotations.product/${product.id}`, payload: { list_price: '1.00' } }))
      .statusCode,
    403,
    'nor change their price',
  );
  t.equal((await list(user, 'quotations.product', { name: 'Desk' })).total, 1, 'but reads them');
  const duplicate = await manager.request({ method: 'POST', url: '/api/records/quotations.product', payload: { name: 'Desk' } });
  t.equal(duplicate.statusCode, 409, 'names are unique');

  const meta = (await user.request({ method: 'GET', url: '/api/meta' })).json();
  t.same(
    meta.models['quotations.line'].fields.product.fill,
    { description: 'description', unit_price: 'list_price', taxes: 'taxes' },
    'the line says what a product fills',
  );
  t.same(meta.views['quotations.quotation_form'].lines.lines.slice(0, 2), ['product', 'description']);
  t.equal(meta.models['quotations.line'].fields.description.widget, 'textarea', 'the description is multi-line');

  const quotation = await post(user, 'quotations.quotation', {
    customer: acme.id,
    lines: [{ product: product.id, description: 'Oak desk, 160 × 80', quantity: 2, unit_price: '499.90', taxes: [vat.id] }],
  });
  t.match(quotation.lines[0], { product: { id: product.id, display: 'Desk' }, subtotal: '999.80' });
  t.equal(quotation.amount_total, '1199.76');
});

t.test("the opportunity's domain names the customer, and filters the leads to that customer's", async (t) => {
  const mine = await post(admin, 'crm.lead', { name: 'Acme renewal', customer: acme.id });
  await post(admin, 'crm.lead', { name: 'Acme extension', customer: acme.id });
  await post(admin, 'crm.lead', { name: 'Globex deal', customer: globex.id });
  await post(admin, 'crm.lead', { name: 'Nobody yet' });

  const field = (await user.request({ method: 'GET', url: '/api/meta' })).json().models['quotations.quotation'].fields.lead;
  t.same(field.domain, { customer: '$record.customer' });
  // What the shell sends once the customer is chosen: "$record.customer" bound to its id.
  const bound = (customer: string | null) =>
    JSON.parse(JSON.stringify(field.domain).replace('"$record.customer"', JSON.stringify(customer)));
  const names = async (customer: string | null) =>
    (await list(user, 'crm.lead', bound(customer))).data.map((l: { name: string }) => l.name).sort();
  t.same(await names(acme.id), ['Acme extension', 'Acme renewal']);
  t.same(await names(globex.id), ['Globex deal']);
  t.same(await names(null), ['Nobody yet'], 'no customer yet: only leads without one');
  const quotation = await post(user, 'quotations.quotation', { customer: acme.id, lead: mine.id });
  t.match(quotation.lead, { id: mine.id });
});

t.test('a confirmed or cancelled quotation is read-only: a write is a 409 that says why, and changes nothing', async (t) => {
  const meta = (await user.request({ method: 'GET', url: '/api/meta' })).json();
  t.same(
    meta.models['quotations.quotation'].readonly_when.map((r: { when: object }) => r.when),
    [{ state: 'sale' }, { state: 'cancel' }],
    'the meta tells the shell which states',
  );

  const quotation = await post(user, 'quotations.quotation', { customer: acme.id, lines: [{ description: 'Chair', unit_price: '10.00' }] });
  const act = (name: string) => user.request({ method: 'POST', url: `/api/records/quotations.quotation/${quotation.id}/actions/${name}` });
  const patch = (payload: object) => user.request({ method: 'PATCH', url: `/api/records/quotations.quotation/${quotation.id}`, payload });
  const read = async () => (await user.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json();

  t.equal((await act('confirm')).statusCode, 200);
  const refused = await patch({ notes: 'late change', lines: [] });
  t.equal(refused.statusCode, 409);
  t.match(refused.json().error, { code: 'conflict', message: /confirmed, so it is locked/, details: { readonly_when: { state: 'sale' } } });
  t.match(await read(), { version: 2, notes: null, lines: [{ description: 'Chair' }] }, 'nothing was written');
  const imported = await user.request({
    method: 'POST',
    url: '/api/records/quotations.quotation/import',
    headers: { 'content-type': 'text/csv' },
    payload: `id,notes\n${quotation.id},imported change\n`,
  });
  t.match(
    imported.json(),
    { created: 0, updated: 0, errors: [{ row: 2, message: /confirmed, so it is locked/ }] },
    'an import row obeys it too',
  );
  t.match(await read(), { version: 2, notes: null }, 'and writes nothing');

  t.equal((await act('cancel')).statusCode, 200, 'its actions still run');
  t.match((await patch({ notes: 'x' })).json().error.message, /cancelled: set it back to quotation/, 'a cancelled one says so');
  t.equal((await act('reset_to_draft')).statusCode, 200);
  t.equal((await patch({ notes: 'x' })).statusCode, 200, 'back in draft it is editable');
});
