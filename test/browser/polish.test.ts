import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Page } from 'playwright-core';
import { startBrowserApp } from './browser-harness.ts';
import { createDemoTenant, DEMO_PASSWORD } from '@atrium/core/testing';

/** The rough edges of issue 19, on the shipped modules and their demo data: what a new user meets first. */
t.setTimeout(400_000); // a shell, a browser and the demo tenant on a shared machine
const app = await startBrowserApp({
  modules: ['contacts', 'crm', 'quotations', 'projects'],
  modulesDir: fileURLToPath(new URL('../../modules', import.meta.url)),
});
t.teardown(() => app.close());
await createDemoTenant(app.testApp.app.platform);

const admin = await app.testApp.logIn('admin@demo.example', DEMO_PASSWORD);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT = 'rgb(246, 246, 248)';
const DARK = 'rgb(19, 19, 24)';

t.test('the login page has the email focused; signing in lands on the shell', async (t) => {
  const { page, context } = await app.open(null, '/login');
  t.teardown(() => context.close());
  await page.locator('input[name="email"]').waitFor();
  t.equal(
    await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name),
    'email',
    'typing starts in the email field',
  );
  await page.keyboard.type('sally@demo.example');
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="user-name"]').waitFor();
});

t.test('dark mode follows the system, and the toggle overrides it across reloads', async (t) => {
  const dark = await app.browser.newContext({ baseURL: app.url, colorScheme: 'dark' });
  t.teardown(() => dark.close());
  await dark.addInitScript((token) => localStorage.setItem('atrium.token', token), admin.token);
  const darkPage = await dark.newPage();
  await darkPage.goto('/');
  await darkPage.locator('[data-testid="user-name"]').waitFor();
  t.equal(await background(darkPage), DARK, 'a dark system gets the dark shell');

  const { page, context } = await app.open(admin, '/');
  t.teardown(() => context.close());
  await page.locator('[data-testid="user-name"]').waitFor();
  t.equal(await background(page), LIGHT, 'a light system gets the light shell');
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="theme-toggle"]').click();
  t.equal(await page.locator('[data-testid="theme-choice"]').textContent(), 'Dark');
  t.equal(await background(page), DARK, 'the toggle turns it dark');
  await app.screenshot(page, 'dark-mode');
  await page.reload();
  await page.locator('[data-testid="user-name"]').waitFor();
  t.equal(await background(page), DARK, 'and it stays so after a reload');
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="theme-toggle"]').click();
  t.equal(await page.locator('[data-testid="theme-choice"]').textContent(), 'Light');
  await page.locator('[data-testid="theme-toggle"]').click();
  t.equal(await page.locator('[data-testid="theme-choice"]').textContent(), 'System');
  t.equal(await background(page), LIGHT, 'back to the system: light here');
});

t.test('an unknown address shows a styled 404 page with a way back', async (t) => {
  const { page, context } = await app.open(admin, '/no/such/page');
  t.teardown(() => context.close());
  const error = page.locator('[data-testid="error-page"]');
  await error.waitFor();
  t.match(await error.textContent(), /404[\s\S]*This page does not exist[\s\S]*\/no\/such\/page/);
  await error.getByRole('link', { name: 'Back to the start' }).click();
  await page.waitForURL(`${app.url}/`);
});

t.test('the demo has projects and tasks; quick create focuses its first field and Escape closes it', async (t) => {
  const sally = await app.testApp.logIn('sally@demo.example', DEMO_PASSWORD);
  const { page, context } = await app.open(sally, '/v/projects.project_list');
  t.teardown(() => context.close());
  await page.getByText('Office move').waitFor();
  t.ok(await page.getByText('Website refresh').isVisible());
  await page.goto('/v/projects.task_kanban');
  await page.locator('[data-testid="kanban-card"]', { hasText: 'Plan the seating' }).waitFor();
  await page.locator('[data-testid="quick-create-open"]').first().click();
  const quick = page.locator('[data-testid="quick-create"]');
  await quick.waitFor();
  t.equal(
    await page.evaluate(() => document.activeElement?.closest('[data-testid="quick-create"]') !== null),
    true,
    'the first field has the focus',
  );
  await page.keyboard.press('Escape');
  await quick.waitFor({ state: 'detached' });
});

t.test('a required relation with nothing to pick says what to do', async (t) => {
  const fresh = await app.testApp.signup('Empty Co');
  const user = await app.testApp.addUser(fresh, ['user'], 'Una User');
  const { page, context } = await app.open(user, '/v/projects.task_kanban');
  t.teardown(() => context.close());
  await page.locator('[data-testid="quick-create-open"]').first().click();
  await page.locator('[data-testid="quick-create"] [role="combobox"]').click();
  t.match(await page.locator('[data-testid="combo-empty"]').textContent(), /No projects yet — ask an admin or a manager to create one/);
});

t.test('tag colours are named swatches of a palette, not numbers', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.tag_list');
  t.teardown(() => context.close());
  const row = page.locator('tr', { hasText: 'Product' });
  await row.waitFor();
  t.equal(await row.locator('[data-testid="color-value"]').textContent(), 'Orange', 'colour 2 is Orange');
});

t.test('history: no row for a field left as it was, and line changes line by line', async (t) => {
  const [quotation] = (await admin.request({ method: 'GET', url: '/api/records/quotations.quotation?sort=number&limit=1' })).json().data;
  const full = (await admin.request({ method: 'GET', url: `/api/records/quotations.quotation/${quotation.id}` })).json();
  const [chairs, delivery] = full.lines as { id: string; description: string; quantity: number }[];
  const changed = await admin.request({
    method: 'PATCH',
    url: `/api/records/quotations.quotation/${quotation.id}`,
    payload: {
      notes: full.notes ?? null,
      lines: [
        { id: chairs.id, quantity: 14 },
        { description: 'Cushions', quantity: 4, unit_price: '12.00' },
      ],
    },
  });
  t.equal(changed.statusCode, 200, JSON.stringify(changed.json()));
  const { page, context } = await app.open(admin, `/v/quotations.quotation_list/${quotation.id}`);
  t.teardown(() => context.close());
  const lines = page.locator('[data-testid="line-changes"]').first();
  await lines.waitFor();
  const text = (await lines.textContent())!.replace(/\s+/g, ' ');
  t.match(text, /Office chair, ergonomic: Quantity 12\s*→\s*14/, 'the changed line, with what moved');
  t.match(text, /added Cushions/);
  t.match(text, new RegExp(`removed ${delivery.description}`));
  t.notMatch(
    await page.locator('[data-testid="history"]').textContent(),
    /Terms and conditions/,
    'the notes, sent unchanged, are no change',
  );
  await app.screenshot(page, 'history-lines');
});
