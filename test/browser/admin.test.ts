import t from 'tap';
import { startBrowserApp, waitLive } from './browser-harness.ts';

const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['manager'], 'Maria Manager');

t.test('turning a module off removes its menus for a signed-in user at once, and on brings them back', async (t) => {
  const [adminPage, userPage] = await Promise.all([app.open(admin, '/admin/modules'), app.open(colleague, '/v/sales.deal_kanban')]);
  t.teardown(async () => {
    await Promise.all([adminPage.context.close(), userPage.context.close()]);
  });
  const menus = userPage.page.locator('[data-testid="menu-item"]');
  await menus.filter({ hasText: 'Pipeline' }).waitFor();
  await waitLive(userPage.page);
  t.equal(await userPage.page.locator('a', { hasText: 'Modules' }).count(), 0, 'a manager has no administration menu');

  const sales = adminPage.page.locator('[data-testid="module"][data-name="sales"]');
  await sales.getByRole('checkbox').click();
  await adminPage.page.locator('[data-testid="toast"]', { hasText: 'Sales is off' }).waitFor();
  await menus.filter({ hasText: 'Pipeline' }).waitFor({ state: 'detached', timeout: 2000 });
  t.same(await menus.allTextContents(), ['Companies'], 'only the Directory menus are left, without a reload');
  await userPage.page.getByText('This page is not available').waitFor({ timeout: 1000 });
  t.pass('the open Sales page says it is gone');

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
  const login = await app.testApp.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nina@example.com', password: 'correct horse battery' } });
  t.equal(login.statusCode, 401, 'a deactivated user cannot sign in');
});

t.test('admins create roles from permissions JSON; the server checks them', async (t) => {
  const { page, context } = await app.open(admin, '/admin/roles');
  t.teardown(() => context.close());
  await page.locator('[data-testid="role"]').first().waitFor();
  await page.locator('[data-testid="new-role"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('auditor');
  await dialog.locator('textarea').fill(JSON.stringify({ 'sales.nothing': { read: true } }));
  await dialog.getByRole('button', { name: 'Save role' }).click();
  await dialog.getByText('unknown model').waitFor();
  t.pass('an unknown model is refused, with the reason');
  await dialog.locator('textarea').fill(JSON.stringify({ 'sales.deal': { read: true } }));
  await dialog.getByRole('button', { name: 'Save role' }).click();
  await page.locator('[data-testid="role"]', { hasText: 'auditor' }).waitFor();
  t.pass('the role is listed');
});

t.test('the administration pages are for administrators only', async (t) => {
  const { page, context } = await app.open(colleague, '/admin/users');
  t.teardown(() => context.close());
  await page.getByText('For administrators').waitFor();
  t.equal(await page.locator('[data-testid="user-row"]').count(), 0);
});
