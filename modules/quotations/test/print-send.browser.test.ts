import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Page } from 'playwright-core';
import { pdfText } from '@atrium/core/testing';
import { startBrowserApp } from '../../../test/browser/browser-harness.ts';
import { createDemoTenant, DEMO_PASSWORD } from '@atrium/core/testing';

// Outside test/browser/ on purpose: this one runs on both databases (the outbox and its delivery are SQL).
const app = await startBrowserApp({
  modules: ['contacts', 'crm', 'quotations'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url))),
});
t.teardown(() => app.close());
await createDemoTenant(app.testApp.app.platform);
const admin = await app.testApp.logIn('admin@demo.example', DEMO_PASSWORD);
const list = await admin.request({
  method: 'GET',
  url: `/api/records/quotations.quotation?filter=${encodeURIComponent(JSON.stringify({ state: 'draft' }))}`,
});
const quotation = list.json().data.find((q: { customer: { display: string } }) => q.customer.display === 'Azure Interior');

/** The next response to a URL matching `pattern`, as the server sent it to the page (through a route, as the body is a blob the page consumes). */
async function capture(page: Page, pattern: RegExp): Promise<() => Promise<{ type: string; body: Buffer }>> {
  let resolve: (value: { type: string; body: Buffer }) => void;
  const captured = new Promise<{ type: string; body: Buffer }>((r) => (resolve = r));
  await page.route(pattern, async (route) => {
    const response = await route.fetch();
    resolve({ type: response.headers()['content-type'], body: await response.body() });
    await route.fulfill({ response });
  });
  return () => captured;
}

t.test('from the demo company: open a quotation, print it, send it, read the mail in the catcher', async (t) => {
  const { page, context } = await app.open(admin, `/v/quotations.quotation_list/${quotation.id}`);
  t.teardown(() => context.close());
  await page.locator('[data-testid="page-title"]', { hasText: quotation.number }).waitFor();
  await app.waitLive(page);

  const printed = await capture(page, /\/reports\/quotation$/);
  await page.locator('[data-testid="print-quotation"]').click();
  const pdf = await printed();
  t.equal(pdf.type, 'application/pdf');
  const text = pdfText(pdf.body).replace(/\s+/g, ' ');
  t.match(text, `Quotation ${quotation.number}`);
  t.match(text, 'Demo Company');
  t.match(text, 'San Francisco CA 94134', "the company's address under its name");
  t.match(text, 'Azure Interior');
  t.match(text, 'Office chair, ergonomic');
  t.match(text, 'Delivery and assembly');
  t.match(text, `Total $${Number(quotation.amount_total).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);

  await page.locator('[data-testid="actions"] button', { hasText: 'Send' }).click();
  await page.locator('[data-testid="statusbar"] [aria-current="step"]', { hasText: 'Quotation sent' }).waitFor();
  t.pass('the form shows the quotation sent once its mail is kept');

  await page.goto('/admin/mails');
  const mail = page.locator('[data-testid="mail"]', { hasText: `quotation ${quotation.number}` });
  await mail.locator('.summary').click();
  t.match(await mail.textContent(), 'info@azure-interior.example');
  t.match(await mail.locator('[data-testid="mail-body"]').textContent(), 'Hello Azure Interior');
  const attached = await capture(page, /\/attachment$/);
  await mail.locator('[data-testid="mail-attachment"]').click();
  t.match(pdfText((await attached()).body).replace(/\s+/g, ' '), `Quotation ${quotation.number}`);
  await app.screenshot(page, 'mail-catcher');
});
