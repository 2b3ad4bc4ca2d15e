import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Locator, Page } from 'playwright-core';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/** The shell on the shipped business modules, as a company uses them. */
const app = await startBrowserApp({
  modules: ['contacts', 'crm', 'quotations'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
await post(admin, 'contacts.partner', { name: 'Deco Addict', is_company: true });
await post(admin, 'contacts.partner', { name: 'Azure Interior', is_company: true });
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
  await cell(desk, 'description').locator('textarea').fill('Office desk');
  await cell(desk, 'quantity').locator('input').fill('2');
  await cell(desk, 'unit_price').locator('input').fill('500');
  await cell(desk, 'discount').locator('input').fill('10');
  await pick(cell(desk, 'taxes').locator('input'), 'VAT', 'VAT 20%');
  await cell(chairs, 'description').locator('textarea').fill('Chair');
  await cell(chairs, 'quantity').locator('input').fill('4');
  await cell(chairs, 'unit_price').locator('input').fill('120.50');
  await page.locator('[data-testid="save"]').click();

  await page.waitForURL(/\/v\/quotations\.quotation_list\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="page-title"]', { hasText: 'S00001' }).waitFor();
  const id = page.url().split('/').at(-1)!;
  const saved = (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${id}` })).json();
  t.same(
    [saved.amount_untaxed, saved.amount_tax, saved.amount_total],
    ['1382.00', '180.00', '1562.00'],
    'the server computed 2×500 −10 % + 20 % tax, and 4×120.50',
  );
  t.equal(await field(page, 'amount_untaxed').locator('.readonly').textContent(), '$1,382.00', 'the form shows the untaxed amount');
  t.equal(await field(page, 'amount_tax').locator('.readonly').textContent(), '$180.00', 'the taxes');
  t.equal(await field(page, 'amount_total').locator('.readonly').textContent(), '$1,562.00', 'and the total');
  t.same(
    await page.locator('[data-testid="line"] [data-column="subtotal"]').allTextContents(),
    ['$900.00', '$482.00'],
    'each line its subtotal',
  );
  t.equal(
    await page.locator('[data-testid="statusbar"] [aria-current="step"]').textContent(),
    'Quotation',
    'the status bar shows the state',
  );
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

t.test('a lead quick-created with its customer, revenue and stars; tagged in its form; lost with a reason', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_kanban');
  t.teardown(() => context.close());
  const first = page.locator('[data-testid="kanban-column"]').first();
  await first.locator('[data-testid="quick-create-open"]').click();
  const quick = first.locator('[data-testid="quick-create"]');
  await quick.getByPlaceholder('Opportunity').fill('Office chairs for 40 seats');
  await pick(quick.getByPlaceholder('Customer'), 'Azu', 'Azure Interior');
  await quick.getByLabel('Expected revenue').fill('12400');
  await quick.getByRole('radio', { name: 'High', exact: true }).click();
  await quick.getByRole('button', { name: 'Add' }).click();
  const card = first.locator('[data-testid="kanban-card"]', { hasText: 'Office chairs for 40 seats' });
  await card.waitFor();
  t.match(await card.textContent(), /Azure Interior.*\$12,400\.00/s, 'the card shows its customer and revenue');
  t.equal(await card.locator('[role="radio"][aria-checked="true"]').getAttribute('aria-label'), 'High', 'and its stars');

  await card.locator('a.title').click();
  await pick(field(page, 'tags').locator('input'), 'VIP', 'Create “VIP”');
  await page.locator('[data-testid="save"]').click();
  await page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  const id = page.url().split('/').at(-1)!;
  const lead = async () => (await admin.request({ method: 'GET', url: `/api/records/crm.lead/${id}` })).json();
  t.same(
    (await lead()).tags.map((tag: { display: string }) => tag.display),
    ['VIP'],
    'a tag created from the form',
  );

  await page.locator('[data-testid="actions"] button', { hasText: 'Lost' }).click();
  const dialog = page.getByRole('dialog');
  await pick(dialog.getByLabel('Lost reason'), '', 'Too expensive');
  await dialog.getByRole('button', { name: 'Lost' }).click();
  await page.locator('[data-testid="actions"] button', { hasText: 'Restore' }).waitFor();
  const lost = await lead();
  t.same([lost.archived, lost.lost_reason?.display], [true, 'Too expensive'], 'the action ran with its parameter');
  await page.locator('a.crumb', { hasText: 'Pipeline' }).click();
  await page.locator('[data-testid="kanban-board"]').waitFor();
  t.equal(
    await page.locator('[data-testid="kanban-card"]', { hasText: 'Office chairs for 40 seats' }).count(),
    0,
    'a lost lead leaves the open pipeline',
  );
});
