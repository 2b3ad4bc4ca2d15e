import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'quotations'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const user = await app.addUser(admin, ['user']);
const other = await app.addUser(admin, ['user']);
const customer = (
  await admin.request({
    method: 'POST',
    url: '/api/records/contacts.partner',
    payload: { name: 'Acme', is_company: true, email: 'buyer@acme.example' },
  })
).json();

const create = async (who = user, payload: object = {}) => {
  const response = await who.request({
    method: 'POST',
    url: '/api/records/quotations.quotation',
    payload: { customer: customer.id, lines: [{ description: 'Chair', unit_price: '10.00' }], ...payload },
  });
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
};
const act = (id: string, name: string, who = user) =>
  who.request({ method: 'POST', url: `/api/records/quotations.quotation/${id}/actions/${name}` });
const patch = (id: string, payload: object, who = user) =>
  who.request({ method: 'PATCH', url: `/api/records/quotations.quotation/${id}`, payload });

t.test('numbers come from a per-tenant sequence: S00001, S00002, …', async (t) => {
  const fresh = await app.signup();
  const freshCustomer = (await fresh.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'C' } })).json();
  const numbers = [];
  for (let i = 0; i < 3; i++)
    numbers.push(
      (await fresh.request({ method: 'POST', url: '/api/records/quotations.quotation', payload: { customer: freshCustomer.id } })).json()
        .number,
    );
  t.same(numbers, ['S00001', 'S00002', 'S00003']);
});

t.test('concurrent creates never share a number', async (t) => {
  const created = await Promise.all(Array.from({ length: 8 }, () => create()));
  const numbers = created.map((q) => q.number);
  t.equal(new Set(numbers).size, 8);
  for (const n of numbers) t.match(n, /^S\d{5}$/);
});

t.test('draft → sent (once its mail is kept: no SMTP here) → sale; a confirmed quotation is locked', async (t) => {
  const quotation = await create();
  t.equal((await act(quotation.id, 'send')).statusCode, 200);
  for (
    let i = 0;
    i < 300 && (await user.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json().state !== 'sent';
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  const sent = (await user.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json();
  t.match(sent, { state: 'sent' });
  t.match((await act(quotation.id, 'confirm')).json(), { state: 'sale', version: sent.version + 1 });
  const edit = await patch(quotation.id, { notes: 'late change' });
  t.equal(edit.statusCode, 409);
  t.match(edit.json().error.message, /confirmed, so it is locked/);
  const lines = await patch(quotation.id, { lines: [] });
  t.equal(lines.statusCode, 409, 'its lines too');
  t.equal((await act(quotation.id, 'send')).statusCode, 409, 'a sales order is not sent again');
  t.equal(
    (await admin.request({ method: 'DELETE', url: `/api/records/quotations.quotation/${quotation.id}` })).statusCode,
    409,
    'nor deleted',
  );
  t.equal(
    (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json().version,
    sent.version + 1,
    'nothing changed',
  );
});

t.test('cancel, then back to draft, unlocks the quotation', async (t) => {
  const quotation = await create();
  await act(quotation.id, 'confirm');
  t.match((await act(quotation.id, 'cancel')).json(), { state: 'cancel' });
  t.equal((await patch(quotation.id, { notes: 'x' })).statusCode, 409, 'a cancelled quotation is read-only too');
  t.equal((await act(quotation.id, 'confirm')).statusCode, 409, 'and cannot be confirmed');
  t.match((await act(quotation.id, 'reset_to_draft')).json(), { state: 'draft' });
  t.equal((await patch(quotation.id, { notes: 'x' })).statusCode, 200);
  t.equal((await act(quotation.id, 'reset_to_draft')).statusCode, 409, 'only a cancelled quotation goes back to draft');
});

t.test('the state moves only through actions; confirming needs a line', async (t) => {
  const quotation = await create(user, { lines: [] });
  const forced = await patch(quotation.id, { state: 'sale' });
  t.equal(forced.statusCode, 400);
  t.match(forced.json().error.details, [{ field: 'state', rule: 'readonly' }]);
  const empty = await act(quotation.id, 'confirm');
  t.equal(empty.statusCode, 409);
  t.match(empty.json().error.message, /at least one line/);
});

t.test('lines are changed only through their quotation', async (t) => {
  const quotation = await create();
  const url = `/api/records/quotations.line/${quotation.lines[0].id}`;
  t.equal((await admin.request({ method: 'PATCH', url, payload: { unit_price: '0.00' } })).statusCode, 403);
  t.equal((await admin.request({ method: 'DELETE', url })).statusCode, 403);
  t.equal((await user.request({ method: 'GET', url })).statusCode, 200, 'they can be read');
});

t.test('a salesperson changes only their own quotations', async (t) => {
  const quotation = await create();
  t.equal((await patch(quotation.id, { notes: 'x' }, other)).statusCode, 403);
  t.equal((await act(quotation.id, 'confirm', other)).statusCode, 403);
  t.equal((await other.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).statusCode, 200);
  const draft = await create();
  t.equal(
    (await user.request({ method: 'DELETE', url: `/api/records/quotations.quotation/${draft.id}` })).statusCode,
    204,
    'a draft can be deleted',
  );
});
