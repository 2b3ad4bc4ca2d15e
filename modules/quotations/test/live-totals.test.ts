import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';
import shell from '../shell.ts';

// The shell's live totals (shell.ts, run in the browser before save) against what the server stores on save.
const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const post = async (model: string, payload: object) => {
  const response = await admin.request({ method: 'POST', url: `/api/records/${model}`, payload });
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
};
const customer = await post('contacts.partner', { name: 'Acme' });
const [sales, reduced, eco] = [
  await post('quotations.tax', { name: 'Sales 15%', rate: 15 }),
  await post('quotations.tax', { name: 'Reduced 5%', rate: 5 }),
  await post('quotations.tax', { name: 'Eco 0.5%', rate: 0.5 }),
];
const ref = (tax: { id: string; name: string }) => ({ id: tax.id, display: tax.name });

// Half cents everywhere: discounts of 12.5 % and 33.33 %, fractional quantities, a 0.5 % tax, several taxes on a line.
const cases: { name: string; lines: Record<string, unknown>[] }[] = [
  { name: 'no lines', lines: [] },
  { name: 'one plain line', lines: [{ description: 'A', quantity: 1, unit_price: '100.00', discount: 0, taxes: [] }] },
  {
    name: 'discounts, several taxes and rounding per line',
    lines: [
      { description: 'Chair', quantity: 12, unit_price: '289.00', discount: 10, taxes: [ref(sales), ref(eco)] },
      { description: 'Table', quantity: 3, unit_price: '1199.99', discount: 12.5, taxes: [ref(sales)] },
      { description: 'Lamp', quantity: 1.5, unit_price: '33.33', discount: 33.33, taxes: [ref(reduced), ref(eco)] },
      { description: 'Fee', quantity: 7, unit_price: '0.15', discount: 0, taxes: [ref(eco)] },
    ],
  },
  {
    name: 'a free line and a full discount',
    lines: [
      { description: 'Gift', quantity: 2, unit_price: '0', taxes: [ref(sales)] },
      { description: 'Promo', quantity: 1, unit_price: '80.05', discount: 100, taxes: [ref(sales)] },
    ],
  },
];

const context = {
  currency: 'USD',
  read: async (model: string, ids: string[]) =>
    Promise.all(ids.map(async (id) => (await admin.request({ method: 'GET', url: `/api/records/${model}/${id}` })).json())),
};

for (const { name, lines } of cases) {
  t.test(`before save = after save: ${name}`, async (t) => {
    const live = await shell.models['quotations.quotation'].preview({ customer: { id: customer.id }, lines }, context);
    const body = lines.map((line) => ({ ...line, taxes: (line.taxes as { id: string }[]).map((tax) => tax.id) }));
    const saved = await post('quotations.quotation', { customer: customer.id, lines: body });
    t.same(live, {
      lines: saved.lines.map((line: { subtotal: string }) => ({ subtotal: line.subtotal })),
      amount_untaxed: saved.amount_untaxed,
      amount_tax: saved.amount_tax,
      amount_total: saved.amount_total,
    });
  });
}

t.test('a quantity or price still being typed makes the preview throw (the form keeps its last totals)', async (t) => {
  await t.rejects(shell.models['quotations.quotation'].preview({ lines: [{ quantity: 1, unit_price: '1.' }] }, context));
});
