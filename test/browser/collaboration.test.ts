/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.waitForFunction.)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/** Two users on the same lead: the bell, the other's avatar, and who edits which field, live. */
const app = await startBrowserApp({
  modules: ['contacts', 'crm'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const sally = await app.testApp.addUser(admin, ['user'], 'Sally Sales');
const sam = await app.testApp.addUser(admin, ['user'], 'Sam Seller');

t.test("a lead assigned to Sam rings Sam's bell at once, and its link opens the lead", async (t) => {
  const { page, context } = await app.open(sam, '/');
  t.teardown(() => context.close());
  await app.waitLive(page);
  t.equal(await page.locator('[data-testid="bell-count"]').count(), 0, 'nothing unread yet');
  const lead = await post(admin, 'crm.lead', { name: 'Robot arms for Deco', salesperson: sam.user.id });
  await page.locator('[data-testid="bell-count"]', { hasText: '1' }).waitFor({ timeout: 1500 });
  await page.locator('[data-testid="bell"]').click();
  const item = page.locator('[data-testid="notification"]').first();
  t.match(await item.textContent(), /Admin assigned you Lead Robot arms for Deco/);
  await item.click();
  await page.waitForURL(new RegExp(`/v/crm\\.lead_kanban/${lead.id}$`));
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-field="name"] input')?.value === 'Robot arms for Deco');
  await page.locator('[data-testid="bell-count"]').waitFor({ state: 'detached' });
  t.pass('the lead is open and the notification read');
});

t.test('two users on the same lead see each other, and which field the other is editing', async (t) => {
  // Sally's lead (she may edit it); Sam may only read it.
  const lead = await post(sally, 'crm.lead', { name: 'Shared lead' });
  const [samTab, sallyTab] = [await app.open(sam, `/r/crm.lead/${lead.id}`), await app.open(sally, `/r/crm.lead/${lead.id}`)];
  t.teardown(() => Promise.all([samTab.context.close(), sallyTab.context.close().catch(() => undefined)]));
  const viewers = (tab: typeof samTab) => tab.page.locator('[data-testid="viewer"]');
  await viewers(samTab)
    .filter({ has: samTab.page.locator('[title="Sally Sales"]') })
    .waitFor();
  await viewers(sallyTab)
    .filter({ has: sallyTab.page.locator('[title="Sam Seller"]') })
    .waitFor();
  t.pass("each sees the other's avatar");

  await sallyTab.page.locator('[data-field="expected_revenue"] input').click();
  await sallyTab.page.keyboard.type('1250');
  const hint = samTab.page.locator('[data-field="expected_revenue"] [data-testid="editing-hint"]');
  await hint.waitFor({ timeout: 2000 });
  t.equal((await hint.textContent())?.trim(), 'Sally Sales is editing Expected revenue');

  await sallyTab.page.locator('[data-field="name"] input').click();
  await hint.waitFor({ state: 'detached', timeout: 2000 });
  t.pass('the hint leaves the field Sally left');

  await sallyTab.context.close();
  await viewers(samTab).first().waitFor({ state: 'detached', timeout: 3000 });
  t.pass("Sally's avatar goes when her tab closes");
});
