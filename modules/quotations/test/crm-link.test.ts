import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const modulesDir = fileURLToPath(new URL('../..', import.meta.url));

t.test('with crm on, a quotation belongs to an opportunity, which lists its quotations', async (t) => {
  const app = await startTestApp({ modules: ['contacts', 'crm', 'quotations'], modulesDir });
  t.teardown(() => app.close());
  const admin = await app.signup();
  const customer = (
    await admin.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'Acme', is_company: true } })
  ).json();
  const lead = (
    await admin.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'Big deal', customer: customer.id } })
  ).json();
  const quotation = (
    await admin.request({
      method: 'POST',
      url: '/api/records/quotations.quotation',
      payload: { customer: customer.id, lead: lead.id, lines: [{ description: 'A', unit_price: '100.00' }] },
    })
  ).json();
  t.same(quotation.lead, { id: lead.id, display: 'Big deal' });
  const read = (await admin.request({ method: 'GET', url: `/api/records/crm.lead/${lead.id}` })).json();
  t.same(
    read.quotations.map((q: { number: string; amount_total: string }) => [q.number, q.amount_total]),
    [[quotation.number, '100.00']],
  );

  const meta = (await admin.request({ method: 'GET', url: '/api/meta' })).json();
  t.match(meta.models['quotations.quotation'].fields.lead, { type: 'many2one', model: 'crm.lead' });
  t.match(meta.models['crm.lead'].fields.quotations, { type: 'one2many', model: 'quotations.quotation', readonly: true });
  t.same(
    meta.views['quotations.quotation_form'].layout.slice(1, 3),
    [['customer', 'salesperson'], ['lead']],
    'the form gets the opportunity after the customer',
  );
  t.same(meta.views['crm.lead_form'].layout.at(-1), ['quotations']);
  t.same(meta.views['crm.lead_form'].lines.quotations, ['number', 'date', 'amount_total', 'state']);

  await t.test('with crm turned off for the tenant, the link vanishes and quotations work on', async (t) => {
    t.equal((await admin.request({ method: 'PUT', url: '/api/admin/modules/crm', payload: { enabled: false } })).statusCode, 200);
    const off = (await admin.request({ method: 'GET', url: '/api/meta' })).json();
    t.notOk(off.models['quotations.quotation'].fields.lead);
    t.notOk(off.views['crm.lead_form']);
    t.same(off.views['quotations.quotation_form'].layout.flat().includes('lead'), false);
    const kept = (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json();
    t.notOk('lead' in kept);
    const linked = await admin.request({
      method: 'POST',
      url: '/api/records/quotations.quotation',
      payload: { customer: customer.id, lead: lead.id },
    });
    t.equal(linked.statusCode, 400);
    t.match(linked.json().error.details, [{ field: 'lead' }]);
    t.equal(
      (await admin.request({ method: 'POST', url: '/api/records/quotations.quotation', payload: { customer: customer.id } })).statusCode,
      201,
    );
    t.equal((await admin.request({ method: 'PUT', url: '/api/admin/modules/crm', payload: { enabled: true } })).statusCode, 200);
    const back = (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json();
    t.same(back.lead, { id: lead.id, display: 'Big deal' }, 'turned on again, the link is back');
  });

  await t.test("a quotation cannot belong to another tenant's opportunity", async (t) => {
    const other = await app.signup();
    const theirLead = (await other.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'Theirs' } })).json();
    const response = await admin.request({
      method: 'PATCH',
      url: `/api/records/quotations.quotation/${quotation.id}`,
      payload: { lead: theirLead.id },
    });
    t.equal(response.statusCode, 400);
    t.match(response.json().error.details, [{ field: 'lead', rule: 'relation' }]);
  });
});

t.test('on a platform without crm, quotations start and know nothing of leads', async (t) => {
  const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir });
  t.teardown(() => app.close());
  const admin = await app.signup();
  const meta = (await admin.request({ method: 'GET', url: '/api/meta' })).json();
  t.notOk(meta.models['quotations.quotation'].fields.lead);
  t.same(
    meta.modules.map((m: { name: string }) => m.name),
    ['contacts', 'quotations'],
  );
});
