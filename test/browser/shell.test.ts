/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate, addInitScript.)
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';

/** The shell around the views: signing up, in and out, the menus, a phone's screen, and administration. */
const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['manager'], 'Maria Manager');

const email = `founder-${Date.now()}@example.com`;
const password = 'correct horse battery';

t.test('sign up creates the company and shows it, the user and the menus of its modules', async (t) => {
  const { page, context } = await app.open(null, '/signup');
  t.teardown(() => context.close());
  await page.getByLabel('Company').fill('Nimbus Trading');
  await page.getByLabel('Your name').fill('Nora Founder');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create company' }).click();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Nimbus Trading' }).waitFor();
  t.equal(await page.locator('[data-testid="user-name"]').textContent(), 'Nora Founder');
  t.same(
    await page.locator('[data-testid="menu-item"]').allTextContents(),
    ['Companies', 'Pipeline', 'Deals'],
    'menus from the enabled modules',
  );
  t.match(await page.locator('[data-testid="page-title"]').textContent(), 'Nora');
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="logout"]').click();
  await page.waitForURL('**/login');
  t.equal(new URL(page.url()).pathname, '/login', 'signed out, on the login page');
  await page.goto('/v/sales.deal_list');
  await page.waitForURL('**/login?next=*');
  t.equal(
    new URL(page.url()).searchParams.get('next'),
    '/v/sales.deal_list',
    'a signed-out visitor is sent to the login page, to come back',
  );
});

t.test('log in: a wrong password is refused, the right one goes back to where the user was headed', async (t) => {
  const { page, context } = await app.open(null, '/v/sales.deal_list');
  t.teardown(() => context.close());
  await page.waitForURL('**/login?next=*');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  t.match(await page.getByRole('alert').textContent(), 'Wrong email or password');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="page-title"]', { hasText: 'Deals' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/v/sales.deal_list');
  await page.reload();
  await page.locator('[data-testid="page-title"]', { hasText: 'Deals' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/v/sales.deal_list', 'still signed in after a reload, on the same page');
});

t.test('the shell reads on a phone: the menu opens from the top bar', async (t) => {
  const { page, context } = await app.open(admin, '/', { viewport: { width: 390, height: 800 } });
  t.teardown(() => context.close());
  await page.getByLabel('Open the menu').click();
  await page.locator('[data-testid="menu-item"]', { hasText: 'Pipeline' }).click();
  await page.locator('[data-testid="page-title"]', { hasText: 'Pipeline' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'nothing wider than the screen');
  await app.screenshot(page, 'kanban-phone');
});

t.test('turning a module off removes its menus for a signed-in user at once, and on brings them back', async (t) => {
  const [adminPage, userPage] = await Promise.all([app.open(admin, '/admin/modules'), app.open(colleague, '/v/sales.deal_kanban')]);
  t.teardown(async () => {
    await Promise.all([adminPage.context.close(), userPage.context.close()]);
  });
  const menus = userPage.page.locator('[data-testid="menu-item"]');
  await menus.filter({ hasText: 'Pipeline' }).waitFor();
  await app.waitLive(userPage.page);
  t.equal(await userPage.page.locator('a', { hasText: 'Modules' }).count(), 0, 'a manager has no administration menu');

  const sales = adminPage.page.locator('[data-testid="module"][data-name="sales"]');
  await sales.getByRole('checkbox').click();
  await adminPage.page.locator('[data-testid="toast"]', { hasText: 'Sales is off' }).waitFor();
  await menus.filter({ hasText: 'Pipeline' }).waitFor({ state: 'detached', timeout: 2000 });
  t.same(await menus.allTextContents(), ['Companies'], 'only the Directory menus are left, without a reload');
  await userPage.page.getByText('This page is not available').waitFor({ timeout: 1000 });
  t.equal(await userPage.page.getByText('This page is not available').count(), 1, 'the open Sales page says it is gone');

  const directory = adminPage.page.locator('[data-testid="module"][data-name="dir"]');
  await sales.getByRole('checkbox').click();
  await menus.filter({ hasText: 'Pipeline' }).waitFor({ timeout: 2000 });
  await directory.getByRole('checkbox').click();
  const refused = adminPage.page.locator('[data-testid="toast"]', { hasText: 'Sales' }).last();
  await refused.waitFor();
  t.match(await refused.textContent(), /Sales/, 'Directory cannot go while Sales depends on it: the message names Sales');
  t.equal(await directory.getByRole('checkbox').isChecked(), true, 'and it stays on');
});

t.test('admins add users with roles and deactivate them', async (t) => {
  const { page, context } = await app.open(admin, '/admin/users');
  t.teardown(() => context.close());
  await page.locator('[data-testid="user-row"]').first().waitFor();
  await page.locator('[data-testid="new-user"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Nina New');
  await dialog.getByLabel('Email').fill('nina@example.com');
  await dialog.getByLabel('Password').fill('correct horse battery');
  await dialog.getByLabel('manager').check();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const row = page.locator('[data-testid="user-row"]', { hasText: 'Nina New' });
  await row.waitFor();
  t.match(await row.textContent(), /manager/);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await row.getByText('Deactivated').waitFor();
  const login = await app.testApp.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'nina@example.com', password: 'correct horse battery' },
  });
  t.equal(login.statusCode, 401, 'a deactivated user cannot sign in');
});

t.test("admins create roles from permissions JSON (the matrix editor's advanced view); the server checks them", async (t) => {
  const { page, context } = await app.open(admin, '/admin/roles');
  t.teardown(() => context.close());
  await page.locator('[data-testid="role"]').first().waitFor();
  await page.locator('[data-testid="new-role"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Key').fill('auditor');
  await dialog.locator('[data-testid="role-json"]').click();
  await dialog.locator('textarea').fill(JSON.stringify({ 'sales.nothing': { read: true } }));
  await dialog.getByRole('button', { name: 'Save role' }).click();
  await dialog.getByText('unknown model').waitFor();
  t.equal(
    await page.locator('[data-testid="role"]', { hasText: 'auditor' }).count(),
    0,
    'an unknown model is refused, with the reason, and nothing is saved',
  );
  await dialog.locator('textarea').fill(JSON.stringify({ 'sales.deal': { read: true } }));
  await dialog.getByRole('button', { name: 'Save role' }).click();
  await page.locator('[data-testid="role"]', { hasText: 'auditor' }).waitFor();
  t.equal(await page.locator('[data-testid="role"]', { hasText: 'auditor' }).count(), 1, 'the role is listed, once');
});

t.test("amounts follow the company's currency and locale, as soon as an admin changes them", async (t) => {
  await admin.request({
    method: 'POST',
    url: '/api/records/sales.deal',
    payload: {
      name: 'Euro deal',
      stage: (await admin.request({ method: 'GET', url: '/api/records/sales.stage' })).json().data[0].id,
      amount: '1234.5',
    },
  });
  const { page, context } = await app.open(admin, '/admin/company');
  t.teardown(() => context.close());
  const form = page.locator('[data-testid="company-settings"]');
  await form.getByLabel('Currency').selectOption('EUR');
  await form.getByLabel('Language and region').selectOption('fr-FR');
  t.equal(
    await page
      .locator('[data-testid="settings-preview"]')
      .textContent()
      .then((s) => s?.split(' · ')[0].replace(/\s/g, ' ')),
    '1 234,56 €',
    'a preview before saving',
  );
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-testid="toast"]', { hasText: 'Company settings saved' }).waitFor();
  await page.locator('[data-testid="menu-item"]', { hasText: 'Pipeline' }).click();
  const sum = page.locator('[data-testid="column-sum"]').first();
  await sum.waitFor();
  t.equal((await sum.textContent())?.replace(/\s/g, ' '), '1 234,50 €', 'the column total in euros, French style, to the cent');
  t.equal(
    (await page.locator('[data-testid="kanban-card"] .money').textContent())?.replace(/\s/g, ' '),
    '1 234,50 €',
    'and the card amount',
  );
});

t.test('the administration pages are for administrators only', async (t) => {
  const { page, context } = await app.open(colleague, '/admin/users');
  t.teardown(() => context.close());
  await page.getByText('For administrators').waitFor();
  t.equal(await page.locator('[data-testid="user-row"]').count(), 0);
});
