import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const customer = (await admin.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'Acme' } })).json();
const tax = (await admin.request({ method: 'POST', url: '/api/records/quotations.tax', payload: { name: 'VAT 20%', rate: 20 } })).json();
const get = async (id: string) => (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${id}` })).json();

t.test(
  'a tax used by a line is never deleted (ondelete restrict): the quotation, confirmed or not, keeps its lines and totals',
  async (t) => {
    const created = await admin.request({
      method: 'POST',
      url: '/api/records/quotations.quotation',
      payload: { customer: customer.id, lines: [{ description: 'Desk', unit_price: '100.00', taxes: [tax.id] }] },
    });
    const quotation = created.json();
    const draft = await admin.request({ method: 'DELETE', url: `/api/records/quotations.tax/${tax.id}` });
    t.equal(draft.statusCode, 409, 'refused while a draft holds it');
    t.equal(draft.json().error.message, 'This record is still referenced by quotations.line records');

    t.equal(
      (await admin.request({ method: 'POST', url: `/api/records/quotations.quotation/${quotation.id}/actions/confirm` })).statusCode,
      200,
    );
    const before = await get(quotation.id);
    const confirmed = await admin.request({ method: 'DELETE', url: `/api/records/quotations.tax/${tax.id}` });
    t.equal(confirmed.statusCode, 409, 'and while a confirmed quotation holds it');
    const after = await get(quotation.id);
    t.same(after, before, 'the quotation is exactly as it was: version, lines, taxes, amounts');
    t.match(after, { state: 'sale', amount_tax: '20.00', lines: [{ taxes: [{ id: tax.id }] }] });
    t.equal(
      (await admin.request({ method: 'GET', url: `/api/records/quotations.tax/${tax.id}` })).statusCode,
      200,
      'the tax is still there',
    );
  },
);
