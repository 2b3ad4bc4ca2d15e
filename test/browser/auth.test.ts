import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';

const app = await startBrowserApp();
t.teardown(() => app.close());

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
  t.same(await page.locator('[data-testid="menu-item"]').allTextContents(), ['Companies', 'Pipeline', 'Deals'], 'menus from the enabled modules');
  t.match(await page.locator('[data-testid="page-title"]').textContent(), 'Nora');
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="logout"]').click();
  await page.waitForURL('**/login');
  t.pass('signed out, on the login page');
  await page.goto('/v/sales.deal_list');
  await page.waitForURL('**/login?next=*');
  t.pass('a signed-out visitor is sent to the login page');
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
  t.pass('still signed in after a reload');
});

t.test('the shell reads on a phone: the menu opens from the top bar', async (t) => {
  const admin = await app.testApp.signup('Pocket Company');
  const { page, context } = await app.open(admin, '/', { viewport: { width: 390, height: 800 } });
  t.teardown(() => context.close());
  await page.getByLabel('Open the menu').click();
  await page.locator('[data-testid="menu-item"]', { hasText: 'Pipeline' }).click();
  await page.locator('[data-testid="page-title"]', { hasText: 'Pipeline' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'nothing wider than the screen');
  await app.screenshot(page, 'kanban-phone');
});
