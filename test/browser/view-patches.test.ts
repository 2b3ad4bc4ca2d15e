/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate.)
import t from 'tap';
import type { Page } from 'playwright-core';
import { startBrowserApp } from './browser-harness.ts';
import { patch, seedPipeline } from './sales-fixture.ts';

// A tenant admin places a declared field on the kanban card from the Custom fields page: a colleague's open
// pipeline shows it without a reload (meta_changed on the socket); another tenant's pipeline does not.
const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['user'], 'Sam Seller');
const pipeline = await seedPipeline(admin);
await patch(admin, 'sales.deal', pipeline.deals['Office chairs'].id, { phase: 'doing' });
const outsider = await app.testApp.signup('Other Company');
const outsiderPipeline = await seedPipeline(outsider);
await patch(outsider, 'sales.deal', outsiderPipeline.deals['Office chairs'].id, { phase: 'doing' });

const BOARD = '/v/sales.deal_kanban';
const card = (page: Page, name: string) => page.locator('[data-testid="kanban-card"]', { hasText: name });

async function openBoard(user: typeof admin) {
  const opened = await app.open(user, BOARD);
  await opened.page.locator('[data-testid="kanban-board"]').waitFor();
  await app.waitLive(opened.page);
  // Gone if the page reloads: what follows must happen in this very page.
  await opened.page.evaluate(() => Object.assign(window, { notReloaded: true }));
  return opened;
}

t.test("a field ticked for the kanban card shows on a colleague's open pipeline, not on another tenant's", async (t) => {
  const [watcher, stranger] = await Promise.all([openBoard(colleague), openBoard(outsider)]);
  const { page, context } = await app.open(admin, '/admin/fields?model=sales.deal');
  t.teardown(async () => {
    await Promise.all([watcher.context.close(), stranger.context.close(), context.close()]);
  });
  t.equal(await card(watcher.page, 'Office chairs').getByText('Doing').count(), 0, 'the card does not show the phase yet');

  const tick = page.locator('[data-testid="placement"][data-field="phase"][data-view="sales.deal_kanban"]');
  t.equal(await tick.isChecked(), false);
  t.equal(
    await page.locator('[data-testid="placement"][data-field="name"][data-view="sales.deal_kanban"]').isDisabled(),
    true,
    "a field the module's card shows cannot be taken off",
  );
  await tick.check();
  await card(watcher.page, 'Office chairs').getByText('Doing').waitFor({ timeout: 5000 });
  t.pass("the colleague's card shows the phase");
  t.equal(await watcher.page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded), true, 'without a reload');
  await app.screenshot(watcher.page, 'view-patch-kanban');

  // The other tenant's board hears nothing: its own writes still arrive, its card has no phase.
  await patch(outsider, 'sales.deal', outsiderPipeline.deals['Office chairs'].id, { name: 'Office chairs (outsider)' });
  await card(stranger.page, 'Office chairs (outsider)').waitFor();
  t.equal(await card(stranger.page, 'Office chairs').getByText('Doing').count(), 0, "another tenant's card is as the module makes it");

  await tick.uncheck();
  await card(watcher.page, 'Office chairs').getByText('Doing').waitFor({ state: 'detached', timeout: 5000 });
  t.pass('taken off again, live');
});

t.test('the admin page is in the admin nav and lists the fields that can be placed on each view of the model', async (t) => {
  const { page, context } = await app.open(admin, '/');
  t.teardown(() => context.close());
  await page.getByRole('link', { name: 'Custom fields' }).click();
  await page.locator('[data-testid="model-picker"]').selectOption('sales.deal');
  const views = await page.locator('[data-testid="placements"] thead th').allTextContents();
  t.same(views.length, 4, 'a column per view of deals (kanban, form, list) after the field names');
  t.ok(await page.locator('[data-testid="placement"][data-field="phase"][data-view="sales.deal_form"]').count());
  t.notOk(
    await page.locator('[data-testid="placement"][data-field="lines"]').count(),
    'one2many lines are edited in their own editor, not placed',
  );
});

t.test("an admin's pipeline has a Customize entry that opens the page on its model; a user's has none", async (t) => {
  const [own, theirs] = await Promise.all([openBoard(admin), openBoard(colleague)]);
  t.teardown(async () => {
    await Promise.all([own.context.close(), theirs.context.close()]);
  });
  t.equal(await theirs.page.locator('[data-testid="customize"]').count(), 0);
  await own.page.locator('[data-testid="customize"]').click();
  await own.page.locator('[data-testid="placement"][data-view="sales.deal_kanban"]').first().waitFor();
  t.equal(await own.page.locator('[data-testid="model-picker"]').inputValue(), 'sales.deal');
});
