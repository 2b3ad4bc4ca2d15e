import { fileURLToPath } from 'node:url';
import t from 'tap';
import { pdfText, startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup('Printers Ltd');
await admin.request({
  method: 'PATCH',
  url: '/api/admin/settings',
  payload: { address: '1 Paper Street\n75001 Paris', currency: 'EUR', locale: 'fr-FR' },
});
const user = await app.addUser(admin, ['user']);
const post = async (url: string, payload: object, who = admin) => {
  const response = await who.request({ method: 'POST', url, payload });
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
};
const customer = await post('/api/records/contacts.partner', {
  name: 'Acme Corp',
  is_company: true,
  street: '12 Rue de Rivoli',
  zip: '75004',
  city: 'Paris',
  email: 'buyer@acme.example',
});
const vat = await post('/api/records/quotations.tax', { name: 'VAT 20%', rate: 20 });
const quotation = await post(
  '/api/records/quotations.quotation',
  {
    customer: customer.id,
    date: '2026-03-01',
    notes: 'Payment within 30 days.',
    lines: [
      { description: 'Oak desk', quantity: 2, unit_price: '1250.00', discount: 10, taxes: [vat.id] },
      { description: 'Delivery and assembly', quantity: 1, unit_price: '80.00', taxes: [vat.id] },
    ],
  },
  user,
);
const print = (id: string, who = admin, name = 'quotation') =>
  who.request({ method: 'GET', url: `/api/records/quotations.quotation/${id}/reports/${name}` });
const squash = (text: string) => text.replace(/[\s\u202f\u00a0]+/g, ' ');

t.test('the quotation prints as a PDF: company, customer, number, dates, each line, the totals, the terms', async (t) => {
  const response = await print(quotation.id);
  t.equal(response.statusCode, 200);
  t.equal(response.headers['content-type'], 'application/pdf');
  t.match(response.headers['content-disposition'], /^inline; filename="S00001\.pdf"/);
  const text = squash(pdfText(response.rawPayload));
  t.match(text, 'Quotation S00001');
  t.match(text, 'Printers Ltd');
  t.match(text, '1 Paper Street');
  t.match(text, 'Acme Corp');
  t.match(text, '12 Rue de Rivoli');
  t.match(text, '75004 Paris');
  t.match(text, '1 mars 2026', 'dates in the tenant locale');
  t.match(text, '31 mars 2026', 'the expiration date');
  // 2 × 1,250.00 less 10 % = 2,250.00; + 80.00 = 2,330.00 untaxed; VAT 450.00 + 16.00 = 466.00; total 2,796.00
  t.match(text, /Oak desk 2 1 250,00 € 10 VAT 20% 2 250,00 €/, 'a line: quantity, price, discount, taxes, subtotal in the tenant currency');
  t.match(text, /Delivery and assembly 1 80,00 € 0 VAT 20% 80,00 €/);
  t.match(text, /Untaxed amount 2 330,00 €/);
  t.match(text, /Taxes 466,00 €/);
  t.match(text, /Total 2 796,00 €/);
  t.match(text, 'Payment within 30 days.');
  t.notMatch(text, /Page \d of/, 'a one-page document carries no page numbers');
});

t.test('a confirmed order prints as a sales order', async (t) => {
  const order = await post('/api/records/quotations.quotation', {
    customer: customer.id,
    lines: [{ description: 'Lamp', unit_price: '30.00' }],
  });
  await admin.request({ method: 'POST', url: `/api/records/quotations.quotation/${order.id}/actions/confirm` });
  t.match(squash(pdfText((await print(order.id)).rawPayload)), `Sales order ${order.number}`);
});

t.test('a long quotation runs onto numbered pages, every line printed', async (t) => {
  const lines = Array.from({ length: 120 }, (_, i) => ({ description: `Item number ${i + 1}`, quantity: 1, unit_price: '1.00' }));
  const long = await post('/api/records/quotations.quotation', { customer: customer.id, lines });
  const text = squash(pdfText((await print(long.id)).rawPayload));
  const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
  t.ok(pages >= 3, `numbered pages (${pages})`);
  t.match(text, `Page ${pages} of ${pages}`);
  for (let i = 1; i <= 120; i++) t.match(text, `Item number ${i} `, `line ${i}`);
  t.match(text, /Total 120,00 €/);
});

t.test('an unknown report, record or model is a 404; another tenant cannot print it', async (t) => {
  t.equal((await print(quotation.id, admin, 'invoice')).statusCode, 404);
  t.equal((await print('00000000-0000-4000-8000-000000000000')).statusCode, 404);
  t.equal((await print('not-a-uuid')).statusCode, 404);
  t.equal((await admin.request({ method: 'GET', url: `/api/records/contacts.partner/${customer.id}/reports/quotation` })).statusCode, 404);
  const stranger = await app.signup('Other Co');
  t.equal((await print(quotation.id, stranger)).statusCode, 404);
});

t.test('fields the reader may not read are never printed', async (t) => {
  const role = await admin.request({
    method: 'POST',
    url: '/api/admin/roles',
    payload: {
      name: 'no_prices',
      permissions: {
        'quotations.quotation': { read: true, fields: { read: ['number', 'customer', 'date', 'lines', 'state'] } },
        'quotations.line': { read: true, fields: { read: ['description', 'quantity'] } },
        'contacts.partner': { read: true },
      },
    },
  });
  t.equal(role.statusCode, 201, role.body);
  const clerk = await app.addUser(admin, ['no_prices']);
  const response = await print(quotation.id, clerk);
  t.equal(response.statusCode, 200);
  const text = squash(pdfText(response.rawPayload));
  t.match(text, 'Oak desk');
  t.notMatch(text, '1 250,00', 'no unit price');
  t.notMatch(text, '2 796,00', 'no total');
  t.notMatch(text, 'Payment within', 'no terms');
});

t.test('OpenAPI describes the report as a PDF', async (t) => {
  const { paths } = (await admin.request({ method: 'GET', url: '/api/openapi.json' })).json();
  t.ok(paths['/api/records/quotations.quotation/{id}/reports/quotation'].get.responses[200].content['application/pdf']);
  t.notOk(paths['/api/records/contacts.partner/{id}/reports/quotation'], 'only where a report is declared');
});
