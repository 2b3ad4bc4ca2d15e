/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate.)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Page } from 'playwright-core';
import { startBrowserApp } from './browser-harness.ts';
import { patch, post } from './sales-fixture.ts';

/*
 * Issue 15's "Done when", for custom fields: in chromium, an admin adds a selection field to CRM leads and puts
 * it on the kanban card and the form; a colleague's open pipeline shows it without a reload; the list filters
 * and groups by it; another tenant sees nothing of it.
 */
const app = await startBrowserApp({
  modules: ['contacts', 'crm', 'quotations'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['user'], 'Sam Seller');
const northern = await post(admin, 'crm.lead', { name: 'Northern warehouse' });
const southern = await post(admin, 'crm.lead', { name: 'Southern office' });
const outsider = await app.testApp.signup('Other Company');
await post(outsider, 'crm.lead', { name: 'Northern warehouse' });

const card = (page: Page, name: string) => page.locator('[data-testid="kanban-card"]', { hasText: name });

t.test('an admin adds a selection field to leads and places it; a colleague sees it live, filters and groups by it', async (t) => {
  const watcher = await app.open(colleague, '/v/crm.lead_kanban');
  const stranger = await app.open(outsider, '/v/crm.lead_kanban');
  const studio = await app.open(admin, '/admin/fields?model=crm.lead');
  t.teardown(async () => {
    await Promise.all([watcher.context.close(), stranger.context.close(), studio.context.close()]);
  });
  for (const { page } of [watcher, stranger]) {
    await card(page, 'Northern warehouse').waitFor();
    await app.waitLive(page);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
  }
  const page = studio.page;
  page.setDefaultTimeout(15_000);

  await page.locator('[data-testid="new-field"]').click();
  await page.getByLabel('Label').fill('Region');
  await page.getByLabel('Type').selectOption({ label: 'Choice in a list' });
  await page.getByLabel('Options, one a line').fill('North\nSouth');
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.locator('[data-testid="custom-field"][data-name="x_region"]').waitFor();
  t.pass('the field is listed under crm.lead');

  await page.locator('[data-testid="placement"][data-field="x_region"][data-view="crm.lead_kanban"]').check();
  await page.locator('[data-testid="placement"][data-field="x_region"][data-view="crm.lead_form"]').check();
  await page.locator('[data-testid="placement"][data-field="x_region"][data-view="crm.lead_form"]:checked').waitFor();

  // Values set through the API (the leads are the admin's; the form is checked below).
  await patch(admin, 'crm.lead', northern.id, { x_region: 'north' });
  await patch(admin, 'crm.lead', southern.id, { x_region: 'south' });

  await card(watcher.page, 'Northern warehouse').getByText('North', { exact: true }).waitFor({ timeout: 10_000 });
  await card(watcher.page, 'Southern office').getByText('South', { exact: true }).waitFor();
  t.equal(
    await watcher.page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded),
    true,
    "the colleague's pipeline, without a reload",
  );
  await app.screenshot(watcher.page, 'custom-field-kanban');

  // The form shows it, editable.
  await card(watcher.page, 'Northern warehouse').locator('a.title').click();
  const region = watcher.page.locator('[data-field="x_region"]');
  await region.waitFor();
  t.match(await region.textContent(), 'Region', 'the form has the field, with its label');

  // The list filters and groups by it.
  const list = watcher.page;
  await list.goto('/v/crm.lead_list');
  await list.locator('[data-testid="list-row"]').first().waitFor();
  await list.locator('[data-testid="filter-menu"]').click();
  await list.getByLabel('Field').selectOption({ label: 'Region' });
  await list.getByLabel('Operator').selectOption({ label: 'is' });
  await list.getByLabel('Value').selectOption({ label: 'North' });
  await list.locator('[data-testid="custom-filter"]').getByRole('button', { name: 'Add' }).click();
  await list.locator('[data-testid="list-row"]', { hasText: 'Southern office' }).waitFor({ state: 'detached' });
  t.same(
    (await list.locator('[data-testid="list-row"]').allTextContents()).map((row) => row.includes('Northern warehouse')),
    [true],
    'filtered on the custom field: the northern lead alone',
  );
  await list.locator('[data-testid="condition"] button').first().click();
  await list.locator('[data-testid="list-row"]', { hasText: 'Southern office' }).waitFor();
  await list.locator('[data-testid="group-menu"]').click();
  await list.getByRole('group', { name: 'Group by' }).getByLabel('Region').check();
  const groups = list.locator('[data-testid="group-row"][data-depth="0"]');
  await groups.filter({ hasText: 'North' }).waitFor();
  t.match(await groups.filter({ hasText: 'North' }).textContent(), '(1)');
  t.match(await groups.filter({ hasText: 'South' }).textContent(), '(1)');
  await app.screenshot(list, 'custom-field-grouped');

  // Another tenant: nothing of it, in its shell or its API.
  t.equal(await card(stranger.page, 'Northern warehouse').getByText('North', { exact: true }).count(), 0);
  t.equal(await stranger.page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded), true);
  const meta = await outsider.request({ method: 'GET', url: '/api/meta' });
  t.notOk(meta.json().models['crm.lead'].fields.x_region, "not in the other tenant's meta");
  t.notOk(meta.json().views['crm.lead_kanban'].card.includes('x_region'), 'nor on its card');
  const filtered = await outsider.request({
    method: 'GET',
    url: `/api/records/crm.lead?filter=${encodeURIComponent('{"x_region":"north"}')}`,
  });
  t.equal(filtered.statusCode, 400, 'a filter naming it there is an unknown field');
});
