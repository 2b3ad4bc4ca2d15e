import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const mine = await app.signup();
const theirs = await app.signup();

const post = async (who: typeof mine, model: string, payload: object) =>
  (await who.request({ method: 'POST', url: `/api/records/${model}`, payload })).json();
const myCustomer = await post(mine, 'contacts.partner', { name: 'Mine' });
const theirCustomer = await post(theirs, 'contacts.partner', { name: 'Theirs' });
const theirTax = await post(theirs, 'quotations.tax', { name: 'Theirs', rate: 10 });
const theirQuotation = await post(theirs, 'quotations.quotation', {
  customer: theirCustomer.id,
  lines: [{ description: 'Secret', unit_price: '99.00', taxes: [theirTax.id] }],
});
const myQuotation = await post(mine, 'quotations.quotation', {
  customer: myCustomer.id,
  lines: [{ description: 'Mine', unit_price: '1.00' }],
});

t.test("another tenant's quotation, line and tax are not found, whatever the method", async (t) => {
  const url = `/api/records/quotations.quotation/${theirQuotation.id}`;
  t.equal((await mine.request({ method: 'GET', url })).statusCode, 404);
  t.equal((await mine.request({ method: 'PATCH', url, payload: { notes: 'x' } })).statusCode, 404);
  t.equal((await mine.request({ method: 'POST', url: `${url}/actions/confirm` })).statusCode, 404);
  t.equal((await mine.request({ method: 'DELETE', url })).statusCode, 404);
  t.equal((await mine.request({ method: 'GET', url: `/api/records/quotations.line/${theirQuotation.lines[0].id}` })).statusCode, 404);
  t.equal((await mine.request({ method: 'GET', url: `/api/records/quotations.tax/${theirTax.id}` })).statusCode, 404);
  t.equal((await theirs.request({ method: 'GET', url })).json().state, 'draft', 'and it is unchanged');
});

t.test("a relation to another tenant's customer, tax or line is refused, naming the field", async (t) => {
  const url = `/api/records/quotations.quotation/${myQuotation.id}`;
  const customer = await mine.request({ method: 'PATCH', url, payload: { customer: theirCustomer.id } });
  t.equal(customer.statusCode, 400);
  t.match(customer.json().error.details, [{ field: 'customer', rule: 'relation' }]);
  const tax = await mine.request({ method: 'PATCH', url, payload: { lines: [{ description: 'X', taxes: [theirTax.id] }] } });
  t.equal(tax.statusCode, 400);
  t.match(tax.json().error.details, [{ field: 'lines.0.taxes', rule: 'relation' }]);
  const line = await mine.request({ method: 'PATCH', url, payload: { lines: [{ id: theirQuotation.lines[0].id, quantity: 2 }] } });
  t.equal(line.statusCode, 400);
  t.match(line.json().error.details, [{ field: 'lines', rule: 'line' }]);
  t.equal(
    (await theirs.request({ method: 'GET', url: `/api/records/quotations.quotation/${theirQuotation.id}` })).json().lines[0].quantity,
    1,
  );
});
