import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const post = async (model: string, payload: object) =>
  (await admin.request({ method: 'POST', url: `/api/records/${model}`, payload })).json();
const customer = await post('contacts.partner', { name: 'Acme', is_company: true });
const vat = await post('quotations.tax', { name: 'VAT 7.5%', rate: 7.5 });
const duty = await post('quotations.tax', { name: 'Duty 20%', rate: 20 });

type Line = { id: string; description: string; subtotal: string; sequence: number };

t.test('amounts with discounts and two taxes are exact to the cent, rounded per line', async (t) => {
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/quotations.quotation',
    payload: {
      customer: customer.id,
      lines: [
        // 3 × 19.99 = 59.97, less 12.5 % = 52.47375 → 52.47; taxes 3.93525 → 3.94 and 10.494 → 10.49
        { description: 'A', quantity: 3, unit_price: '19.99', discount: 12.5, taxes: [vat.id, duty.id] },
        // 0.05 less 10 % = 0.045 → 0.05 (half away from zero); tax 0.00375 → 0.00
        { description: 'B', quantity: 1, unit_price: 0.05, discount: 10, taxes: [vat.id] },
        // 2.5 × 3.33 = 8.325 → 8.33 (floating point would say 8.32); taxes 0.62475 → 0.62 and 1.666 → 1.67
        { description: 'C', quantity: 2.5, unit_price: '3.33', taxes: [vat.id, duty.id] },
      ],
    },
  });
  t.equal(response.statusCode, 201);
  const quotation = response.json();
  t.same(
    quotation.lines.map((l: Line) => [l.description, l.subtotal, l.sequence]),
    [
      ['A', '52.47', 1],
      ['B', '0.05', 2],
      ['C', '8.33', 3],
    ],
  );
  t.match(quotation, { amount_untaxed: '60.85', amount_tax: '16.72', amount_total: '77.57', currency: 'USD' });
  t.same(
    quotation.lines[0].taxes.map((x: { display: string }) => x.display),
    ['Duty 20%', 'VAT 7.5%'],
  );
});

t.test('changing, adding and removing lines recomputes the amounts in the same write', async (t) => {
  const created = await post('quotations.quotation', {
    customer: customer.id,
    lines: [
      { description: 'A', quantity: 3, unit_price: '0.10' },
      { description: 'B', unit_price: '5.00', taxes: [duty.id] },
    ],
  });
  t.match(created, { amount_untaxed: '5.30', amount_tax: '1.00', amount_total: '6.30' });
  const [a, b] = created.lines as Line[];
  const patched = await admin.request({
    method: 'PATCH',
    url: `/api/records/quotations.quotation/${created.id}`,
    payload: {
      lines: [
        { id: b.id, quantity: 2 },
        { description: 'C', unit_price: '1.00', discount: 50 },
      ],
    },
  });
  t.equal(patched.statusCode, 200);
  const quotation = patched.json();
  t.same(
    quotation.lines.map((l: Line) => [l.description, l.subtotal]),
    [
      ['B', '10.00'],
      ['C', '0.50'],
    ],
    'B keeps its price and tax, A is gone, order follows the body',
  );
  t.match(quotation, { amount_untaxed: '10.50', amount_tax: '2.00', amount_total: '12.50', version: 2 });
  t.notOk(quotation.lines.some((l: Line) => l.id === a.id));
  const emptied = await admin.request({ method: 'PATCH', url: `/api/records/quotations.quotation/${created.id}`, payload: { lines: [] } });
  t.match(emptied.json(), { amount_untaxed: '0.00', amount_tax: '0.00', amount_total: '0.00', lines: [] });
});

t.test("amounts, subtotals and the number are the server's to write", async (t) => {
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/quotations.quotation',
    payload: { customer: customer.id, amount_total: '1.00', number: 'X', lines: [{ description: 'A', subtotal: '1.00' }] },
  });
  t.equal(response.statusCode, 400);
  t.same(
    response
      .json()
      .error.details.map((d: { field: string; rule: string }) => [d.field, d.rule])
      .sort(),
    [
      ['amount_total', 'readonly'],
      ['lines.0.subtotal', 'readonly'],
      ['number', 'readonly'],
    ],
  );
  const precise = await admin.request({
    method: 'POST',
    url: '/api/records/quotations.quotation',
    payload: { customer: customer.id, lines: [{ description: 'A', unit_price: '1.001' }] },
  });
  t.equal(precise.statusCode, 400, 'a price finer than the currency is refused');
});

t.test('a new quotation is dated today, valid 30 days, in draft', async (t) => {
  const quotation = await post('quotations.quotation', { customer: customer.id, date: '2030-01-15' });
  t.match(quotation, { date: '2030-01-15', validity_date: '2030-02-14', state: 'draft', amount_total: '0.00', lines: [] });
  const today = await post('quotations.quotation', { customer: customer.id });
  t.equal(today.date, new Date().toISOString().slice(0, 10));
});
