import t from 'tap';
import type { Page } from 'playwright-core';
import { post } from './sales-fixture.ts';
import { crmSearchApp } from './crm-search-fixture.ts';

/*
 * The URL holds the whole view (issue 19, "Search and lists"): after a reload, the search, declared filters,
 * a custom condition, the sort, the page, the grouping and the kanban columns folded are all still there.
 */
const { app, admin, deco } = await crmSearchApp();

const filterButton = (page: Page, label: string) =>
  page.getByRole('group', { name: 'Filters' }).getByRole('button', { name: label, exact: true });

t.test('a reload keeps the search, filters, grouping, sort, page and folded columns', async (t) => {
  for (let i = 1; i <= 52; i++)
    await post(admin, 'crm.lead', { name: `Bulk lead ${String(i).padStart(2, '0')}`, customer: deco.id, expected_revenue: String(i) });
  const { page, context } = await app.open(admin, '/v/crm.lead_list');
  t.teardown(() => context.close());
  page.setDefaultTimeout(15_000);
  const pager = page.locator('[data-testid="pager"]');
  await pager.getByText('1–50 of 56').waitFor();
  await page.locator('[data-testid="search"]').fill('deco');
  await pager.getByText('1–50 of 54').waitFor();
  await filterButton(page, 'Lost').click();
  await pager.getByText('1–50 of 55').waitFor();
  await page.locator('[data-testid="filter-menu"]').click();
  await page.getByLabel('Field').selectOption({ label: 'Expected revenue' });
  await page.getByLabel('Operator').selectOption({ label: 'is at least' });
  await page.getByLabel('Value').fill('2');
  await page.locator('[data-testid="custom-filter"]').getByRole('button', { name: 'Add' }).click();
  await pager.getByText('1–50 of 54').waitFor();
  await page.locator('[data-testid="filter-menu"]').click();
  await page.locator('th button', { hasText: 'Expected revenue' }).click();
  await page.locator('th[aria-sort="ascending"]').waitFor();
  await pager.getByLabel('Next page').click();
  await pager.getByText('51–54 of 54').waitFor();

  await page.reload();
  await pager.getByText('51–54 of 54').waitFor();
  t.equal(await page.locator('[data-testid="search"]').inputValue(), 'deco');
  t.equal(await filterButton(page, 'Lost').getAttribute('aria-pressed'), 'true');
  t.equal(await filterButton(page, 'Open').getAttribute('aria-pressed'), 'true');
  t.match(await page.locator('[data-testid="condition"]').textContent(), 'Expected revenue is at least 2');
  t.equal(
    await page
      .locator('th[aria-sort="ascending"]')
      .textContent()
      .then((s) => s?.trim()),
    'Expected revenue',
  );
  t.same(
    (await page.locator('[data-testid="list-row"]').allTextContents()).map(
      (s) => s.match(/Bulk lead \d+|Lamps|Storage units|Carla lead/)?.[0],
    ),
    ['Bulk lead 52', 'Carla lead', 'Lamps', 'Storage units'],
    'the second page of the same order',
  );

  await page.locator('[data-testid="group-menu"]').click();
  await page.getByRole('group', { name: 'Group by' }).getByLabel('Customer').check();
  await page.locator('[data-testid="group-row"]').first().waitFor();
  await page.reload();
  await page.locator('[data-testid="group-row"]', { hasText: 'Deco Addict' }).waitFor();
  t.match(await page.locator('[data-testid="group-row"]').textContent(), '(54)', 'grouped, under the same search and filters');

  const board = await app.open(admin, '/v/crm.lead_kanban');
  t.teardown(() => board.context.close());
  const firstColumn = board.page.locator('section[data-testid="kanban-column"]').first();
  await firstColumn.waitFor();
  const label = await firstColumn.getAttribute('aria-label');
  await board.page.getByRole('button', { name: `Fold ${label}` }).click();
  await board.page.locator(`[data-testid="kanban-column"][data-folded="true"][aria-label^="${label},"]`).waitFor();
  await board.page.locator('[data-testid="search"]').fill('deco');
  await board.page.waitForURL((url) => url.searchParams.get('q') === 'deco');
  await board.page.reload();
  await board.page.locator(`[data-testid="kanban-column"][data-folded="true"][aria-label^="${label},"]`).waitFor();
  t.equal(await board.page.locator('[data-testid="search"]').inputValue(), 'deco', 'the folded column and the search survive the reload');
});
