import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post, seedPipeline } from './sales-fixture.ts';

const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const pipeline = await seedPipeline(admin);
// 56 more deals of 10.25 each: more than one page of 50.
for (let i = 1; i <= 56; i++)
  await post(admin, 'sales.deal', { name: `Bulk deal ${String(i).padStart(2, '0')}`, stage: pipeline.stages.Qualified, amount: '10.25' });
const TOTAL = 1200 + 5400.5 + 18000 + 450 + 56 * 10.25;

const { page, context } = await app.open(admin, '/v/sales.deal_list');
t.teardown(() => context.close());
const rows = page.locator('[data-testid="list-row"]');
const pager = page.locator('[data-testid="pager"]');
await rows.first().waitFor();
await app.waitLive(page);

t.test('a list shows its declared columns, a page of rows and the sums over every matching record', async (t) => {
  t.same(
    (await page.locator('[data-testid="list"] th').allTextContents()).map((s) => s.trim()),
    ['Name', 'Customer', 'Stage', 'Amount'],
  );
  t.equal(await rows.count(), 50, 'one page');
  t.match(await pager.textContent(), '1–50 of 60');
  const sums = page.locator('[data-testid="list-sums"]');
  await sums.locator('td', { hasText: '$' }).waitFor();
  t.same(
    (await sums.locator('td').allTextContents()).map((s) => s.trim()),
    ['Total', '', '', `$${TOTAL.toLocaleString('en-US', { minimumFractionDigits: 2 })}`],
    'the total of all 60, not of the page',
  );
});

t.test('paging and sorting', async (t) => {
  await pager.getByLabel('Next page').click();
  await pager.getByText('51–60 of 60').waitFor();
  t.equal(await rows.count(), 10);
  await page.locator('th button', { hasText: 'Amount' }).click();
  await pager.getByText('1–50 of 60').waitFor();
  await page.locator('th[aria-sort="ascending"]', { hasText: 'Amount' }).waitFor();
  t.match(await rows.first().textContent(), '$10.25', 'smallest first');
  await page.locator('th button', { hasText: 'Amount' }).click();
  await page.locator('th[aria-sort="descending"]').waitFor();
  await rows.first().filter({ hasText: 'Conference room' }).waitFor();
  t.match(await rows.first().textContent(), 'Conference room', 'then largest first');
});

t.test('search filters the rows and the sums', async (t) => {
  await page.locator('[data-testid="search"]').fill('chairs');
  await pager.getByText('1–1 of 1').waitFor();
  await page.locator('[data-testid="list-sums"] td', { hasText: '$1,200.00' }).waitFor();
  t.match(await rows.first().textContent(), 'Office chairs');
  await page.locator('[data-testid="search"]').fill('');
  await pager.getByText('1–50 of 60').waitFor();
});

t.test('a record created elsewhere appears without a reload, and the total follows', async (t) => {
  await page.locator('th button', { hasText: 'Amount' }).click();
  await page.locator('th[aria-sort]:not([aria-sort="none"])').waitFor({ state: 'detached' });
  await post(admin, 'sales.deal', { name: 'Brand new deal', stage: pipeline.stages.Lead, amount: '100' });
  await rows.first().filter({ hasText: 'Brand new deal' }).waitFor({ timeout: 1000 });
  await pager.getByText('1–50 of 61').waitFor({ timeout: 1000 });
  t.match(await rows.first().textContent(), 'Brand new deal', 'newest first, at the top of the first page');
  await app.screenshot(page, 'deal-list');
});
