import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/*
 * Favourites (issue 19, "Search and lists"): one saved and shared comes back after a fresh login, and a
 * colleague sees it, applies it, and cannot delete it.
 */
const app = await startBrowserApp({
  modules: ['contacts', 'crm'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['user'], 'Carla Colleague');
const azure = await post(admin, 'contacts.partner', { name: 'Azure Interior', is_company: true });
const deco = await post(admin, 'contacts.partner', { name: 'Deco Addict', is_company: true });
await post(admin, 'crm.lead', { name: 'Office chairs', customer: azure.id, expected_revenue: '1200.00' });
await post(admin, 'crm.lead', { name: 'Desk renewal', customer: azure.id, expected_revenue: '5400.50' });
await post(admin, 'crm.lead', { name: 'Lamps', customer: deco.id, expected_revenue: '300.00' });
await post(colleague, 'crm.lead', { name: 'Carla lead', customer: deco.id, expected_revenue: '99.00' });
const lostLead = await post(admin, 'crm.lead', { name: 'Storage units', customer: deco.id, expected_revenue: '450.00' });
const reasons = (await admin.request({ method: 'GET', url: '/api/records/crm.lost_reason' })).json().data;
const lost = await admin.request({
  method: 'POST',
  url: `/api/records/crm.lead/${lostLead.id}/actions/mark_lost`,
  payload: { lost_reason: reasons[0].id },
});
if (lost.statusCode !== 200) throw new Error(lost.body);

t.test('a favourite saved and shared comes back after a fresh login, and a colleague sees it', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_list');
  await page.locator('[data-testid="list-row"]').first().waitFor();
  await page.locator('[data-testid="search"]').fill('azure');
  await page.locator('[data-testid="pager"]').getByText('1–2 of 2').waitFor();
  await page.locator('[data-testid="favourites-menu"]').click();
  await page.getByLabel('Favourite name').fill('Azure deals');
  await page.getByLabel('Share with my company').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('[data-testid="favourites"]').getByText('Azure deals').waitFor();
  await context.close();

  const fresh = await app.browser.newContext({ viewport: { width: 1360, height: 860 }, baseURL: app.url });
  t.teardown(() => fresh.close());
  const again = await fresh.newPage();
  await again.goto('/login');
  await again.locator('input[name="email"]').fill(admin.user.email);
  await again.locator('input[name="password"]').fill('correct horse battery');
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.waitForURL((url) => !url.pathname.startsWith('/login'));
  await again.goto('/v/crm.lead_list');
  await again.locator('[data-testid="pager"]').getByText('1–4 of 4').waitFor();
  await again.locator('[data-testid="favourites-menu"]').click();
  await again
    .locator('[data-testid="favourites"]')
    .getByRole('button', { name: /^Azure deals/ })
    .click();
  await again.locator('[data-testid="pager"]').getByText('1–2 of 2').waitFor();
  t.equal(await again.locator('[data-testid="search"]').inputValue(), 'azure', 'the favourite put its search back');

  const { page: theirs, context: theirContext } = await app.open(colleague, '/v/crm.lead_list');
  t.teardown(() => theirContext.close());
  await theirs.locator('[data-testid="pager"]').getByText('1–4 of 4').waitFor();
  await theirs.locator('[data-testid="favourites-menu"]').click();
  const shared = theirs.locator('[data-testid="favourites"]').getByRole('button', { name: /^Azure deals/ });
  t.match(await shared.textContent(), 'shared by Admin');
  t.equal(await theirs.getByRole('button', { name: 'Delete Azure deals' }).count(), 0, 'a colleague cannot delete it');
  await shared.click();
  await theirs.locator('[data-testid="pager"]').getByText('1–2 of 2').waitFor();
});
