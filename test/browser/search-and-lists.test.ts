import t from 'tap';
import type { Page } from 'playwright-core';
import { crmSearchApp } from './crm-search-fixture.ts';

/*
 * Finding records in the shell, on the shipped CRM (issue 19, "Search and lists"): the search view looks in
 * the customer too, declared filters combine like Odoo's, a list groups with counts and sums, and the
 * search is kept in the URL (view-state.test.ts: favourites and reloads).
 */
const { app, admin } = await crmSearchApp();

const cardNames = (page: Page): Promise<string[]> => page.locator('[data-testid="kanban-card"]').allTextContents();
const hasCards = async (page: Page, names: string[]): Promise<void> => {
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="kanban-card"]').length === count, names.length);
  const texts = await cardNames(page);
  for (const name of names) if (!texts.some((text) => text.includes(name))) throw new Error(`no card ${name} in ${JSON.stringify(texts)}`);
};
const filterButton = (page: Page, label: string) =>
  page.getByRole('group', { name: 'Filters' }).getByRole('button', { name: label, exact: true });

t.test('searching "azure" finds the leads of the customer Azure Interior', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_kanban');
  t.teardown(() => context.close());
  await hasCards(page, ['Office chairs', 'Desk renewal', 'Lamps', 'Carla lead']);
  await page.locator('[data-testid="search"]').fill('azure');
  await hasCards(page, ['Office chairs', 'Desk renewal']);
  t.equal(new URL(page.url()).searchParams.get('q'), 'azure', 'the search is in the URL');
});

t.test('filters of one group are OR-ed ("Open" + "Lost"), groups are AND-ed ("My pipeline")', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_kanban');
  t.teardown(() => context.close());
  await hasCards(page, ['Office chairs', 'Desk renewal', 'Lamps', 'Carla lead']);
  await filterButton(page, 'Lost').click();
  await hasCards(page, ['Office chairs', 'Desk renewal', 'Lamps', 'Carla lead', 'Storage units']);
  await filterButton(page, 'My pipeline').click();
  await hasCards(page, ['Office chairs', 'Desk renewal', 'Lamps']);
  t.pass('open or lost, and mine');
});

t.test('a list grouped by customer, then stage, shows counts and sums per group', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_list');
  t.teardown(() => context.close());
  await page.locator('[data-testid="list-row"]').first().waitFor();
  await page.locator('[data-testid="group-menu"]').click();
  await page.getByRole('group', { name: 'Group by' }).getByLabel('Customer').check();
  const groups = page.locator('[data-testid="group-row"][data-depth="0"]');
  await groups.filter({ hasText: 'Azure Interior' }).waitFor();
  const azureRow = groups.filter({ hasText: 'Azure Interior' });
  t.match(await azureRow.textContent(), '(2)');
  t.match(await azureRow.locator('[data-testid="group-sum"]').first().textContent(), '6,600.50', 'the sum of its expected revenue');
  t.match(await groups.filter({ hasText: 'Deco Addict' }).textContent(), '(2)', 'open leads only: the lost one is filtered out');
  t.match(await groups.filter({ hasText: 'Deco Addict' }).locator('[data-testid="group-sum"]').first().textContent(), '399.00');
  await page.getByRole('group', { name: 'Group by' }).getByLabel('Stage').check();
  await page.locator('[data-testid="group-menu"]').click();
  await azureRow.click();
  const sub = page.locator('[data-testid="group-row"][data-depth="1"]');
  await sub.first().waitFor();
  t.equal(await sub.count(), 1, 'both Azure leads are in the first stage');
  t.match(await sub.first().textContent(), '(2)');
  await sub.first().click();
  await page.locator('[data-testid="list-row"]', { hasText: 'Desk renewal' }).waitFor();
  t.equal(await page.locator('[data-testid="list-row"]').count(), 2);
  await azureRow.click();
  await page.locator('[data-testid="list-row"]').first().waitFor({ state: 'detached' });
  t.equal(new URL(page.url()).searchParams.get('g'), 'customer,stage', 'the grouping is in the URL');
  await app.screenshot(page, 'lead-list-grouped');
});
