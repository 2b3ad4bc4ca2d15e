import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';

/** Issue 18's operator console and login picker, in chromium. */
const OPERATOR = { email: 'ops@example.com', password: 'operator password' };
const app = await startBrowserApp({ operator: OPERATOR });
t.teardown(() => app.close());

t.test('the operator console suspends a tenant (its open shell is signed out) and resumes it', async (t) => {
  const admin = await app.testApp.signup('Console Co');
  const tenantPage = await app.open(admin, '/');
  t.teardown(() => tenantPage.context.close());
  await app.waitLive(tenantPage.page);

  const { page, context } = await app.open(null, '/operator');
  t.teardown(() => context.close());
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
  await page.getByLabel('Password').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const row = page.locator(`[data-testid="operator-tenant"][data-slug="${admin.tenant.slug}"]`);
  await row.waitFor();
  t.match(await row.textContent(), /Console Co/);
  t.equal(await row.locator('[data-testid="tenant-status"]').textContent(), 'active');

  await row.getByRole('button', { name: 'Suspend' }).click();
  await row.locator('[data-testid="tenant-status"]', { hasText: 'suspended' }).waitFor();
  // The tenant's open shell: its socket is closed with 4403, and it is signed out with the reason.
  await tenantPage.page.getByText("Your company's account is suspended").waitFor();
  t.equal(new URL(tenantPage.page.url()).pathname, '/login');
  t.equal((await admin.request({ method: 'GET', url: '/api/me' })).statusCode, 403);

  await row.getByRole('button', { name: 'Resume' }).click();
  await row.locator('[data-testid="tenant-status"]', { hasText: 'active' }).waitFor();
  t.equal((await admin.request({ method: 'GET', url: '/api/me' })).statusCode, 200, 'the same token works again');
  const audit = await app.testApp.app.inject({
    method: 'POST',
    url: '/api/operator/login',
    payload: OPERATOR,
  });
  const entries = await app.testApp.app.inject({
    method: 'GET',
    url: `/api/operator/audit?tenant=${admin.tenant.id}`,
    headers: { authorization: `Bearer ${audit.json().token}` },
  });
  t.same(
    entries
      .json()
      .data.map((e: { action: string }) => e.action)
      .reverse(),
    ['suspend', 'resume'],
  );
});

t.test('the login picker names the companies, not their slugs', async (t) => {
  const email = `twin-${Date.now()}@example.com`;
  for (const company of ['Northwind Traders', 'Southwind Traders']) {
    const response = await app.testApp.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { company, name: 'Twin', email, password: 'same password' },
    });
    t.equal(response.statusCode, 201);
  }
  const { page, context } = await app.open(null, '/login');
  t.teardown(() => context.close());
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('same password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const picker = page.getByLabel('Company');
  await picker.waitFor();
  t.same(await picker.locator('option').allTextContents(), ['Northwind Traders', 'Southwind Traders']);
  await picker.selectOption({ label: 'Southwind Traders' });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Southwind Traders' }).waitFor();
  t.pass('signed in to the company picked by name');
});
