import t from 'tap';
import { crmSearchApp } from './crm-search-fixture.ts';

/*
 * Favourites (issue 19, "Search and lists"): one saved and shared comes back after a fresh login, and a
 * colleague sees it, applies it, and cannot delete it.
 */
const { app, admin, colleague } = await crmSearchApp();

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
