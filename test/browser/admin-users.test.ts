import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';

/** Issue 19's admin items in the shell: renaming a user, setting their password, the company's locale from a list. */
const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Rename Co');
const kim = await app.testApp.addUser(admin, ['user'], 'Kim Typo');

t.test('an admin renames a user and sets a new password; the user signs in with it', async (t) => {
  const { page, context } = await app.open(admin, '/admin/users');
  t.teardown(() => context.close());
  const row = page.locator('[data-testid="user-row"]', { hasText: 'Kim Typo' });
  await row.getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Kim Correct');
  await dialog.getByLabel('New password').fill('a fresh password');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-testid="toast"]', { hasText: 'Kim Correct saved, with the new password' }).waitFor();
  await page.locator('[data-testid="user-row"]', { hasText: 'Kim Correct' }).waitFor();
  t.equal(await page.locator('[data-testid="user-row"]', { hasText: 'Kim Typo' }).count(), 0, 'the list shows the new name');

  const signIn = await app.open(null, '/login');
  t.teardown(() => signIn.context.close());
  await signIn.page.getByLabel('Email').fill(kim.user.email);
  await signIn.page.getByLabel('Password').fill('a fresh password');
  await signIn.page.getByRole('button', { name: 'Sign in' }).click();
  await signIn.page.locator('[data-testid="user-name"]', { hasText: 'Kim Correct' }).waitFor();
  t.pass('signed in with the new password, under the new name');
});

t.test('editing a user without a new password keeps the old one', async (t) => {
  const { page, context } = await app.open(admin, '/admin/users');
  t.teardown(() => context.close());
  await page.locator('[data-testid="user-row"]', { hasText: 'Kim Correct' }).getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Kim Final');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-testid="toast"]', { hasText: 'Kim Final saved' }).waitFor();
  const login = await app.testApp.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: kim.user.email, password: 'a fresh password' },
  });
  t.equal(login.statusCode, 200);
});

t.test('the company locale is chosen from a list, each entry of which the API accepts', async (t) => {
  const { page, context } = await app.open(admin, '/admin/company');
  t.teardown(() => context.close());
  const select = page.locator('[data-testid="company-settings"]').getByLabel('Language and region');
  await select.waitFor();
  t.equal(await select.evaluate((el) => el.tagName), 'SELECT', 'a list, not a free text field');
  const offered = await select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  t.ok(offered.length > 20 && offered.includes('de-CH'));
  for (const locale of offered) {
    const answer = await admin.request({ method: 'PATCH', url: '/api/admin/settings', payload: { locale } });
    t.equal(answer.statusCode, 200, `${locale} is accepted`);
  }
  await admin.request({ method: 'PATCH', url: '/api/admin/settings', payload: { locale: 'en-US' } });
  await page.reload();
  await select.selectOption('de-CH');
  t.match(await select.locator('option:checked').textContent(), /\(de-CH\)/);
  await page.locator('[data-testid="company-settings"] textarea[name="address"]').fill('Bahnhofstrasse 1\n8001 Zürich');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-testid="toast"]', { hasText: 'Company settings saved' }).waitFor();
  const saved = (await admin.request({ method: 'GET', url: '/api/admin/settings' })).json();
  t.equal(saved.locale, 'de-CH');
  t.equal(saved.address, 'Bahnhofstrasse 1\n8001 Zürich', 'the address typed on the Company page is saved');
});
