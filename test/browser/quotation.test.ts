import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Locator, Page } from 'playwright-core';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

const app = await startBrowserApp({ modules: ['contacts', 'quotations'], modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules') });
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
await post(admin, 'contacts.partner', { name: 'Deco Addict', is_company: true });
await post(admin, 'quotations.tax', { name: 'VAT 20%', rate: 20 });

const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);
const cell = (line: Locator, column: string) => line.locator(`[data-column="${column}"]`);

async function pick(combobox: Locator, text: string, option: string): Promise<void> {
  await combobox.fill(text);
  await combobox.page().getByRole('option', { name: option }).click();
}

t.test('a quotation with two lines, a discount and a tax shows the totals the server computed', async (t) => {
  const { page, context } = await app.open(admin, '/v/quotations.quotation_list');
  t.teardown(() => context.close());
  await page.locator('[data-testid="new-record"]').click();
  await pick(field(page, 'customer').locator('input'), 'Deco', 'Deco Addict');

  await page.locator('[data-testid="add-line"]').click();
  await page.locator('[data-testid="add-line"]').click();
  const [desk, chairs] = [page.locator('[data-testid="line"]').nth(0), page.locator('[data-testid="line"]').nth(1)];
  t.equal(await cell(desk, 'quantity').locator('input').inputValue(), '1', 'a new line has the declared defaults');
  await cell(desk, 'description').locator('input').fill('Office desk');
  await cell(desk, 'quantity').locator('input').fill('2');
  await cell(desk, 'unit_price').locator('input').fill('500');
  await cell(desk, 'discount').locator('input').fill('10');
  await pick(cell(desk, 'taxes').locator('input'), 'VAT', 'VAT 20%');
  await cell(chairs, 'description').locator('input').fill('Chair');
  await cell(chairs, 'quantity').locator('input').fill('4');
  await cell(chairs, 'unit_price').locator('input').fill('120.50');
  await page.locator('[data-testid="save"]').click();

  await page.waitForURL(/\/v\/quotations\.quotation_list\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="page-title"]', { hasText: 'S00001' }).waitFor();
  const id = page.url().split('/').at(-1)!;
  const saved = (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${id}` })).json();
  t.same([saved.amount_untaxed, saved.amount_tax, saved.amount_total], ['1382.00', '180.00', '1562.00'], 'the server computed 2×500 −10 % + 20 % tax, and 4×120.50');
  t.equal(await field(page, 'amount_untaxed').locator('.readonly').textContent(), '$1,382.00', 'the form shows the untaxed amount');
  t.equal(await field(page, 'amount_tax').locator('.readonly').textContent(), '$180.00', 'the taxes');
  t.equal(await field(page, 'amount_total').locator('.readonly').textContent(), '$1,562.00', 'and the total');
  t.same(await page.locator('[data-testid="line"] [data-column="subtotal"]').allTextContents(), ['$900.00', '$482.00'], 'each line its subtotal');
  t.equal(await page.locator('[data-testid="statusbar"] [aria-current="step"]').textContent(), 'Quotation', 'the status bar shows the state');
  t.same(await page.locator('[data-testid="actions"] button').allTextContents(), ['Send', 'Confirm', 'Cancel'], 'the actions of a draft');
  await app.screenshot(page, 'quotation-form');

  await page.locator('[data-testid="actions"] button', { hasText: 'Confirm' }).click();
  await page.locator('[data-testid="statusbar"] [aria-current="step"]', { hasText: 'Sales order' }).waitFor();
  t.same(await page.locator('[data-testid="actions"] button').allTextContents(), ['Cancel'], 'a sales order can only be cancelled');
});

t.test('the quotation list totals its amounts over every quotation', async (t) => {
  const { page, context } = await app.open(admin, '/v/quotations.quotation_list');
  t.teardown(() => context.close());
  const sums = page.locator('[data-testid="list-sums"]');
  await sums.locator('td', { hasText: '$1,562.00' }).waitFor();
  t.match(await sums.textContent(), /\$1,382\.00/);
});
