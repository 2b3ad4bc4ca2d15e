import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { SMTPServer } from 'smtp-server';
import { pdfText, startTestApp, testDatabaseKind } from '@atrium/core/testing';

/** A real SMTP server in the process: it keeps every message it accepts, and refuses while `refusing` > 0. */
const received: string[] = [];
let refusing = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (refusing > 0) {
        refusing--;
        return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      }
      received.push(Buffer.concat(chunks).toString('utf8'));
      callback();
    });
  },
});
smtp.listen(0, '127.0.0.1');
await once(smtp.server, 'listening');
const port = (smtp.server.address() as AddressInfo).port;
t.teardown(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const app = await startTestApp({
  modules: ['contacts', 'quotations'],
  modulesDir: fileURLToPath(new URL('../..', import.meta.url)),
  mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'sales@printers.example', retrySeconds: 1, pollSeconds: 1 },
});
t.teardown(() => app.close());
const admin = await app.signup('Printers Ltd');
const user = await app.addUser(admin, ['user']);
const post = async (url: string, payload: object, who = user) => {
  const response = await who.request({ method: 'POST', url, payload });
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
};
const customer = await post('/api/records/contacts.partner', { name: 'Acme Corp', email: 'buyer@acme.example' });
const quotation = (lines = [{ description: 'Oak desk', quantity: 2, unit_price: '100.00' }], to = customer.id) =>
  post('/api/records/quotations.quotation', { customer: to, lines });
const get = async (id: string) => (await user.request({ method: 'GET', url: `/api/records/quotations.quotation/${id}` })).json();
const send = (id: string) => user.request({ method: 'POST', url: `/api/records/quotations.quotation/${id}/actions/send` });

/** Polls until `check` returns a value (mail goes out after commit, in the background). */
async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The PDF attached to a raw MIME message (nodemailer writes it base64, in the part typed application/pdf). */
function attachedPdf(raw: string): { filename: string; pdf: Buffer } | undefined {
  const part = raw.split(/\r?\n--/).find((p) => /Content-Type: application\/pdf/i.test(p));
  if (!part) return undefined;
  const filename = /filename="?([^"\r\n]+)"?/i.exec(part)?.[1] ?? '';
  const body = part
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('')
    .replace(/\s+/g, '');
  return { filename, pdf: Buffer.from(body, 'base64') };
}

t.test('send mails the quotation to the customer with its PDF; it becomes sent once SMTP accepts it', async (t) => {
  const q = await quotation();
  const response = await send(q.id);
  t.equal(response.statusCode, 200, response.body);
  const message = await until(() => received.find((m) => m.includes(`quotation ${q.number}`)), 'the mail');
  t.match(message, /^To: buyer@acme\.example/m);
  t.match(message, /^From: "?Printers Ltd"? <sales@printers\.example>/m);
  const attachment = attachedPdf(message);
  t.ok(attachment, 'a PDF is attached');
  t.equal(attachment!.filename, `${q.number}.pdf`);
  const text = pdfText(attachment!.pdf).replace(/\s+/g, ' ');
  t.match(text, `Quotation ${q.number}`);
  t.match(text, 'Acme Corp');
  t.match(text, 'Oak desk');
  t.match(text, 'Total $200.00');
  t.equal(await until(async () => ((await get(q.id)).state === 'sent' ? 'sent' : undefined), 'the state'), 'sent');
  const mails = (await admin.request({ method: 'GET', url: '/api/admin/mails' })).json().data;
  t.match(
    mails.find((m: { record_id: string }) => m.record_id === q.id),
    { status: 'sent', recipients: ['buyer@acme.example'], attempts: 1, attachment: { name: `${q.number}.pdf` } },
  );
});

t.test('a mail SMTP refuses is retried with back-off, and the quotation becomes sent only when accepted', async (t) => {
  const q = await quotation([{ description: 'Retry chair', quantity: 1, unit_price: '5.00' }]);
  refusing = 2;
  t.equal((await send(q.id)).statusCode, 200);
  const mail = await until(async () => {
    const mails = (await admin.request({ method: 'GET', url: '/api/admin/mails' })).json().data as {
      record_id: string;
      status: string;
      last_error: string | null;
      attempts: number;
    }[];
    return mails.find((m) => m.record_id === q.id && m.last_error);
  }, 'a refusal');
  t.match(mail, { status: 'pending', last_error: /Try again later/ });
  t.equal((await get(q.id)).state, 'draft', 'not sent while SMTP refuses');
  const message = await until(() => received.find((m) => m.includes(`quotation ${q.number}`)), 'the retried mail');
  t.ok(attachedPdf(message), 'the retry carries the PDF');
  await until(async () => ((await get(q.id)).state === 'sent' ? true : undefined), 'the state');
  const mails = (await admin.request({ method: 'GET', url: '/api/admin/mails' })).json().data;
  t.match(
    mails.find((m: { record_id: string }) => m.record_id === q.id),
    { status: 'sent', attempts: 3 },
  );
  t.equal(received.filter((m) => m.includes(`quotation ${q.number}`)).length, 1, 'delivered once');
});

t.test('a customer without an email address is refused, and nothing is queued', async (t) => {
  const nobody = await post('/api/records/contacts.partner', { name: 'No Mail Inc' });
  const q = await quotation(undefined, nobody.id);
  const response = await send(q.id);
  t.equal(response.statusCode, 409);
  t.match(response.json().error.message, /no email address/);
  const mails = (await admin.request({ method: 'GET', url: '/api/admin/mails' })).json().data;
  t.notOk(mails.some((m: { record_id: string }) => m.record_id === q.id));
});

t.test('a quotation confirmed before its mail is accepted stays confirmed', async (t) => {
  const q = await quotation([{ description: 'Race table', quantity: 1, unit_price: '7.00' }]);
  refusing = 1;
  t.equal((await send(q.id)).statusCode, 200);
  t.equal((await user.request({ method: 'POST', url: `/api/records/quotations.quotation/${q.id}/actions/confirm` })).statusCode, 200);
  await until(() => received.find((m) => m.includes(`quotation ${q.number}`)), 'the mail');
  await until(async () => {
    const mails = (await admin.request({ method: 'GET', url: '/api/admin/mails' })).json().data;
    return mails.find((m: { record_id: string; status: string }) => m.record_id === q.id && m.status === 'sent');
  }, 'the mail marked sent');
  t.equal((await get(q.id)).state, 'sale');
});

t.test(
  'two nodes deliver the outbox together, each mail exactly once',
  { skip: testDatabaseKind() === 'pglite' && 'PGlite is one node' },
  async (t) => {
    const second = await app.startNode();
    t.teardown(() => second.close());
    const quotations = await Promise.all(
      Array.from({ length: 8 }, (_, i) => quotation([{ description: `Node chair ${i}`, quantity: 1, unit_price: '3.00' }])),
    );
    // Sent through both nodes, so that both wake and claim at once.
    for (const [i, q] of quotations.entries()) {
      const response =
        i % 2 === 0
          ? await send(q.id)
          : await second.inject({
              method: 'POST',
              url: `/api/records/quotations.quotation/${q.id}/actions/send`,
              headers: { authorization: `Bearer ${user.token}` },
            });
      t.equal(response.statusCode, 200);
    }
    for (const q of quotations) await until(() => received.find((m) => m.includes(`quotation ${q.number}`)), `the mail of ${q.number}`);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // both nodes poll every second: a duplicate would have come by now
    for (const q of quotations)
      t.equal(received.filter((m) => m.includes(`quotation ${q.number}`)).length, 1, `${q.number} delivered once`);
  },
);
