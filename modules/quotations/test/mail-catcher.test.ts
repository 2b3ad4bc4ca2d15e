import { fileURLToPath } from 'node:url';
import t from 'tap';
import { pdfText, startTestApp } from '@atrium/core/testing';

// No SMTP configured: mail is kept for the tenant admin (the mail catcher), and the quotation still becomes sent.
const app = await startTestApp({
  modules: ['contacts', 'quotations'],
  modulesDir: fileURLToPath(new URL('../..', import.meta.url)),
  mail: { pollSeconds: 1 },
});
t.teardown(() => app.close());
const admin = await app.signup('Printers Ltd');
const user = await app.addUser(admin, ['user']);
const stranger = await app.signup('Other Co');
const customer = (
  await user.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'Acme Corp', email: 'buyer@acme.example' } })
).json();
const quotation = (
  await user.request({
    method: 'POST',
    url: '/api/records/quotations.quotation',
    payload: { customer: customer.id, lines: [{ description: 'Oak desk', unit_price: '100.00' }] },
  })
).json();

async function caught(): Promise<{
  id: string;
  subject: string;
  body: string;
  status: string;
  recipients: string[];
  attachment: { name: string; size: number };
}> {
  for (let i = 0; i < 300; i++) {
    const mails = (await admin.request({ method: 'GET', url: '/api/admin/mails' })).json().data;
    if (mails[0]?.status === 'caught') return mails[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no mail caught');
}

t.test('without SMTP the mail is caught, readable by the admin with its PDF, and the quotation is sent', async (t) => {
  t.equal((await user.request({ method: 'POST', url: `/api/records/quotations.quotation/${quotation.id}/actions/send` })).statusCode, 200);
  const mail = await caught();
  t.match(mail, {
    recipients: ['buyer@acme.example'],
    subject: `Printers Ltd: quotation ${quotation.number}`,
    body: /Hello Acme Corp/,
    attachment: { name: `${quotation.number}.pdf` },
  });
  const attachment = await admin.request({ method: 'GET', url: `/api/admin/mails/${mail.id}/attachment` });
  t.equal(attachment.headers['content-type'], 'application/pdf');
  t.match(pdfText(attachment.rawPayload).replace(/\s+/g, ' '), `Quotation ${quotation.number}`);
  for (
    let i = 0;
    i < 100 && (await user.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json().state !== 'sent';
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  t.equal((await user.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json().state, 'sent');

  t.test('another tenant sees none of it; a user who is not an admin neither', async (t) => {
    const theirs = (await stranger.request({ method: 'GET', url: '/api/admin/mails' })).json().data as {
      model: string;
      recipients: string[];
    }[];
    t.same(
      theirs.map((m) => [m.model, m.recipients]),
      [['core.user', [stranger.user.email]]],
      'only its own sign-up confirmation',
    );
    t.equal((await stranger.request({ method: 'GET', url: `/api/admin/mails/${mail.id}/attachment` })).statusCode, 404);
    t.equal((await user.request({ method: 'GET', url: '/api/admin/mails' })).statusCode, 403);
    t.equal((await user.request({ method: 'GET', url: `/api/admin/mails/${mail.id}/attachment` })).statusCode, 403);
  });
});
