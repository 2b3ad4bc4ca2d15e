import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';

t.setTimeout(300_000); // a shell build check, chromium and two pages, on a shared machine

/**
 * Issue 22 §4: the billing and mails pages read their answers through the typed client (@atrium/client): the plan
 * and what may be bought, Stripe's refusal explained, the company's outgoing mail listed.
 */
const app = await startBrowserApp({
  plans: { default: 'free', list: { free: { limits: { users: 3 } }, team: { limits: { users: 20 } } } },
  // An offline key: nothing reaches Stripe, the unconfirmed address is refused before any call.
  billing: { stripeSecretKey: 'sk_test_offline', stripeWebhookSecret: 'whsec_test_secret', prices: { team: 'price_team' } },
});
t.teardown(() => app.close());
const admin = await app.testApp.signup('Billing Page Co');

t.test('the billing page shows the plan and the upgrade; checkout before the address is confirmed is explained', async (t) => {
  const { page, context } = await app.open(admin, '/admin/billing');
  t.teardown(() => context.close());
  t.equal(await page.locator('[data-testid="current-plan"]').textContent(), 'free');
  const upgrade = page.getByRole('button', { name: 'Upgrade to team' });
  await upgrade.click();
  await page.getByRole('alert').filter({ hasText: 'Confirm your email address first' }).waitFor();
  t.match(page.url(), /\/admin\/billing$/, 'the page stays: no link to follow');
  t.equal(await upgrade.isEnabled(), true, 'the button can be tried again');
});

t.test("the mails page lists the company's outgoing mail", async (t) => {
  const { page, context } = await app.open(admin, '/admin/mails');
  t.teardown(() => context.close());
  await page.locator('[data-testid="mail"]').first().waitFor();
  t.match(await page.locator('[data-testid="mail"]').first().textContent(), /confirm/i, 'the sign-up confirmation');
});
