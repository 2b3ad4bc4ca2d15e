import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Locator, Page } from 'playwright-core';
import { createDemoTenant, DEMO_PASSWORD } from '@atrium/core/testing';
import { startBrowserApp } from './browser-harness.ts';

/** The quotation editor in the demo company, as Sally (a salesperson) uses it. */
const app = await startBrowserApp({
  modules: ['contacts', 'crm', 'quotations'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());
await createDemoTenant(app.testApp.app.platform);
const sally = await app.testApp.logIn('sally@demo.example', DEMO_PASSWORD);

const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);
const cell = (line: Locator, column: string) => line.locator(`[data-column="${column}"]`);
const shown = (page: Page, name: string) => field(page, name).locator('.readonly');
const usd = (amount: string) => `$${Number(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function pick(combobox: Locator, text: string, option: string): Promise<void> {
  await combobox.fill(text);
  await combobox.page().getByRole('option', { name: option, exact: true }).click();
}

t.test(
  'a quotation built from products: totals as you type equal the saved ones; the customer’s opportunities; read-only once confirmed',
  async (t) => {
    const { page, context } = await app.open(sally, '/v/quotations.quotation_list');
    t.teardown(() => context.close());
    await page.locator('[data-testid="new-record"]').click();
    await pick(field(page, 'customer').locator('input'), 'Deco', 'Deco Addict');

    // The opportunity list: only Deco Addict's leads (the demo has eleven, two of them Deco Addict's).
    await field(page, 'lead').locator('input').click();
    await page.getByRole('option', { name: 'Standing desks' }).waitFor();
    t.same(
      (await page.getByRole('option').allTextContents()).map((s) => s.trim()).sort(),
      ['Designer lamps', 'Standing desks'],
      "only the customer's opportunities",
    );
    await page.getByRole('option', { name: 'Standing desks' }).click();

    // A line from a product: its description, price and taxes filled in; totals shown before any save.
    await page.locator('[data-testid="add-line"]').click();
    const desk = page.locator('[data-testid="line"]').nth(0);
    await pick(cell(desk, 'product').locator('input'), 'Standing', 'Standing desk 160 × 80');
    const description = cell(desk, 'description').locator('textarea');
    await t.resolves(
      page.waitForFunction(
        (el) => (el as HTMLTextAreaElement).value.startsWith('Standing desk 160 × 80, electric'),
        await description.elementHandle(),
      ),
    );
    t.equal(await cell(desk, 'unit_price').locator('input').inputValue(), '649.90', 'the price filled from the product');
    t.match(await cell(desk, 'taxes').textContent(), /Sales tax 15%/, 'and its taxes');
    t.ok((await description.boundingBox())!.width >= 240, 'the description column is wide enough to read');
    await shown(page, 'amount_total').filter({ hasText: '$747.39' }).waitFor();
    t.equal(await cell(desk, 'subtotal').textContent(), '$649.90', 'the subtotal before save');

    await cell(desk, 'quantity').locator('input').fill('8');
    await cell(desk, 'discount').locator('input').fill('5');
    await cell(desk, 'subtotal').filter({ hasText: '$4,939.24' }).waitFor();
    await page.locator('[data-testid="add-line"]').click();
    const tray = page.locator('[data-testid="line"]').nth(1);
    await pick(cell(tray, 'product').locator('input'), 'Cable', 'Cable tray');
    await cell(tray, 'quantity').locator('input').fill('8');
    await description.fill('Standing desk 160 × 80\nElectric, oak top\nDelivered assembled');
    await shown(page, 'amount_total').filter({ hasText: '$5,905.53' }).waitFor();
    const before = {
      subtotals: await page.locator('[data-testid="line"] [data-column="subtotal"]').allTextContents(),
      untaxed: await shown(page, 'amount_untaxed').textContent(),
      tax: await shown(page, 'amount_tax').textContent(),
      total: await shown(page, 'amount_total').textContent(),
    };
    t.same(
      before,
      { subtotals: ['$4,939.24', '$196.00'], untaxed: '$5,135.24', tax: '$770.29', total: '$5,905.53' },
      '8 × 649.90 −5 % and 8 × 24.50, 15 % tax, all before save',
    );
    t.ok((await description.boundingBox())!.height > 50, 'a three-line description grows its box');
    await app.screenshot(page, 'quotation-editor-live-totals');

    await page.locator('[data-testid="save"]').click();
    await page.waitForURL(/\/v\/quotations\.quotation_list\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1)!;
    const saved = (await sally.request({ method: 'GET', url: `/api/records/quotations.quotation/${id}` })).json();
    t.same(
      {
        subtotals: saved.lines.map((l: { subtotal: string }) => usd(l.subtotal)),
        untaxed: usd(saved.amount_untaxed),
        tax: usd(saved.amount_tax),
        total: usd(saved.amount_total),
      },
      before,
      'the server computed what the form showed before save',
    );
    t.match(saved, {
      lead: { display: 'Standing desks' },
      lines: [
        { product: { display: 'Standing desk 160 × 80' }, description: 'Standing desk 160 × 80\nElectric, oak top\nDelivered assembled' },
        { product: { display: 'Cable tray' } },
      ],
    });

    // Confirmed: read-only, and the form says why.
    await page.locator('[data-testid="actions"] button', { hasText: 'Confirm' }).click();
    await page.locator('[data-testid="statusbar"] [aria-current="step"]', { hasText: 'Sales order' }).waitFor();
    t.match(
      await page.locator('[data-testid="readonly-reason"]').textContent(),
      /confirmed, so it is locked: cancel it and set it back to quotation/,
    );
    t.equal(await page.locator('[data-testid="save"]').count(), 0, 'no Save button');
    t.equal(await page.locator('[data-testid="add-line"]').count(), 0, 'no new lines');
    t.equal(await page.locator('.sheet input, .sheet textarea, .sheet select').count(), 0, 'no field to type in');
    t.equal(await shown(page, 'amount_total').textContent(), '$5,905.53', 'the totals stay');
    await app.screenshot(page, 'quotation-editor-confirmed');

    await page.locator('[data-testid="actions"] button', { hasText: 'Cancel' }).click();
    await page.locator('[data-testid="readonly-reason"]', { hasText: 'cancelled' }).waitFor();
    t.pass('a cancelled order explains itself too');
  },
);
