/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate, addInitScript.)
import t from 'tap';
import type { Page } from 'playwright-core';
import { relaySocket, startBrowserApp } from './browser-harness.ts';
import { patch, post, seedPipeline } from './sales-fixture.ts';

const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['manager'], 'Maria Manager');
const pipeline = await seedPipeline(admin);
const outsider = await app.testApp.signup('Other Company');
const outsiderPipeline = await seedPipeline(outsider);

const BOARD = '/v/sales.deal_kanban';
const column = (page: Page, stage: string) => page.locator(`[data-testid="kanban-column"][data-key="${stage}"]`);
const card = (page: Page, name: string) => page.locator('[data-testid="kanban-card"]', { hasText: name });

async function openBoard(user: typeof admin, options?: Parameters<typeof app.open>[2]) {
  const opened = await app.open(user, BOARD, options);
  await opened.page.locator('[data-testid="kanban-board"]').waitFor();
  await app.waitLive(opened.page);
  return opened;
}

t.test('the board shows the stages in order with counts and sums, the folded stage collapsed', async (t) => {
  const { page, context } = await openBoard(admin);
  t.teardown(() => context.close());
  const keys = await page.locator('[data-testid="kanban-column"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
  t.same(
    keys,
    ['Lead', 'Qualified', 'Won', 'Lost'].map((s) => pipeline.stages[s]),
    'columns in stage sequence, the empty one too',
  );
  t.equal(await column(page, pipeline.stages.Lead).locator('[data-testid="column-count"]').textContent(), '2');
  t.equal(
    await column(page, pipeline.stages.Lead).locator('[data-testid="column-sum"]').textContent(),
    '$6,600.50',
    'sum in the tenant currency, to the cent like the cards',
  );
  t.equal(await column(page, pipeline.stages.Lost).getAttribute('data-folded'), 'true', 'a stage with fold set is folded');
  t.equal(await card(page, 'Storage units').count(), 0, 'cards of a folded column are not shown');
  t.equal(await card(page, 'Office chairs').locator('.money').textContent(), '$1,200.00');
  t.equal(await card(page, 'Office chairs').locator('[role="radio"][aria-checked="true"]').count(), 1, 'priority "1" is one star');
  t.match(await page.locator('[data-testid="tenant-name"]').textContent(), 'Acme Robotics');
  await app.screenshot(page, 'kanban');
});

t.test('a card dragged by one user moves for another within a second; another tenant sees nothing', async (t) => {
  const [mover, watcher, stranger] = await Promise.all([openBoard(admin), openBoard(colleague), openBoard(outsider)]);
  t.teardown(async () => {
    await Promise.all([mover.context.close(), watcher.context.close(), stranger.context.close()]);
  });
  const strangerCards = await stranger.page.locator('[data-testid="kanban-card"]').count();

  await card(mover.page, 'Office chairs').dragTo(column(mover.page, pipeline.stages.Won));
  const dropped = Date.now();
  await card(mover.page, 'Office chairs')
    .and(column(mover.page, pipeline.stages.Won).locator('[data-testid="kanban-card"]'))
    .waitFor({ timeout: 500 });
  await column(watcher.page, pipeline.stages.Won)
    .locator('[data-testid="kanban-card"]', { hasText: 'Office chairs' })
    .waitFor({ timeout: 1000 });
  t.ok(Date.now() - dropped < 1000, `seen by the other user ${Date.now() - dropped} ms after the drop`);
  t.equal(
    await column(watcher.page, pipeline.stages.Lead).locator('[data-testid="kanban-card"]', { hasText: 'Office chairs' }).count(),
    0,
    'and gone from its old column',
  );
  await column(watcher.page, pipeline.stages.Won).locator('[data-testid="column-count"]', { hasText: '1' }).waitFor({ timeout: 1000 });

  const saved = await admin.request({ method: 'GET', url: `/api/records/sales.deal/${pipeline.deals['Office chairs'].id}` });
  t.equal(saved.json().stage.id, pipeline.stages.Won, 'saved on the server');

  await stranger.page.waitForTimeout(300);
  t.equal(
    await stranger.page.locator(`[data-id="${pipeline.deals['Office chairs'].id}"]`).count(),
    0,
    'the other tenant never sees the deal',
  );
  t.equal(await stranger.page.locator('[data-testid="kanban-card"]').count(), strangerCards, 'and its board is unchanged');
  t.equal(await column(stranger.page, outsiderPipeline.stages.Won).locator('[data-testid="column-count"]').textContent(), '0');
});

t.test('quick create adds a card at the top of a column, for everyone', async (t) => {
  const [creator, watcher] = await Promise.all([openBoard(admin), openBoard(colleague)]);
  t.teardown(async () => {
    await Promise.all([creator.context.close(), watcher.context.close()]);
  });
  const qualified = column(creator.page, pipeline.stages.Qualified);
  await qualified.locator('[data-testid="quick-create-open"]').click();
  await qualified.locator('[data-testid="quick-create"] input').first().fill('Warehouse shelving');
  await qualified.locator('[data-testid="quick-create"] input').first().press('Enter');
  await qualified.locator('[data-testid="kanban-card"]', { hasText: 'Warehouse shelving' }).waitFor({ timeout: 2000 });
  t.equal(
    await qualified.locator('[data-testid="quick-create"] input').first().inputValue(),
    '',
    'the quick form stays open, empty, for the next one',
  );
  await column(watcher.page, pipeline.stages.Qualified)
    .locator('[data-testid="kanban-card"]', { hasText: 'Warehouse shelving' })
    .waitFor({ timeout: 1000 });
  await column(creator.page, pipeline.stages.Qualified)
    .locator('[data-testid="column-count"]', { hasText: '2' })
    .waitFor({ timeout: 1000 });
  const found = await admin.request({
    method: 'GET',
    url: `/api/records/sales.deal?filter=${encodeURIComponent(JSON.stringify({ name: 'Warehouse shelving' }))}`,
  });
  t.equal(found.json().data[0].stage.id, pipeline.stages.Qualified, 'created in that stage');
});

t.test('a stale drag is refused with the conflict message, and the card shows the server version', async (t) => {
  const deal = await post(admin, 'sales.deal', { name: 'Stale lamps', stage: pipeline.stages.Lead, amount: '80.00' });
  let relay!: Awaited<ReturnType<typeof relaySocket>>;
  const { page, context } = await openBoard(colleague, { prepare: async (c) => void (relay = await relaySocket(c)) });
  t.teardown(() => context.close());
  await card(page, 'Stale lamps').waitFor();
  // The colleague's screen stops hearing about changes; meanwhile the admin moves the deal.
  relay.hold();
  await patch(admin, 'sales.deal', deal.id, { stage: pipeline.stages.Won });
  await card(page, 'Stale lamps').dragTo(column(page, pipeline.stages.Qualified));
  const toast = page.locator('[data-testid="toast"]', { hasText: 'changed by someone else' });
  await toast.waitFor({ timeout: 2000 });
  t.match(await toast.textContent(), '“Stale lamps” was changed by someone else');
  await column(page, pipeline.stages.Won).locator('[data-testid="kanban-card"]', { hasText: 'Stale lamps' }).waitFor({ timeout: 1000 });
  t.equal(
    await column(page, pipeline.stages.Qualified).locator('[data-testid="kanban-card"]', { hasText: 'Stale lamps' }).count(),
    0,
    'not left where it was dropped',
  );
  const onServer = await admin.request({ method: 'GET', url: `/api/records/sales.deal/${deal.id}` });
  t.equal(onServer.json().stage.id, pipeline.stages.Won, 'the newer change was not overwritten');
});

t.test('search narrows the board to matching cards', async (t) => {
  const { page, context } = await openBoard(admin);
  t.teardown(() => context.close());
  await page.locator('[data-testid="search"]').fill('desk');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="kanban-card"]').length === 1);
  t.equal(await card(page, 'Desk renewal').count(), 1);
  t.equal(await column(page, pipeline.stages.Lead).locator('[data-testid="column-count"]').textContent(), '1', 'counts follow the search');
  await page.locator('[data-testid="search"]').fill('');
  await card(page, 'Conference room').waitFor({ timeout: 2000 });
  t.equal(await card(page, 'Conference room').count(), 1, 'clearing the search shows every card again');
});

t.test('a read-only role gets the board without New, quick create or dragging', async (t) => {
  const role = await admin.request({
    method: 'POST',
    url: '/api/admin/roles',
    payload: {
      name: 'viewer',
      permissions: { 'sales.deal': { read: true }, 'sales.stage': { read: true }, 'dir.company': { read: true } },
    },
  });
  t.equal(role.statusCode, 201);
  const viewer = await app.testApp.addUser(admin, ['viewer'], 'Vic Viewer');
  const { page, context } = await openBoard(viewer);
  t.teardown(() => context.close());
  await card(page, 'Conference room').waitFor();
  t.equal(await page.locator('[data-testid="new-record"]').count(), 0, 'no New button');
  t.equal(await page.locator('[data-testid="quick-create-open"]').count(), 0, 'no quick create');
  t.equal(await card(page, 'Conference room').getAttribute('draggable'), 'false', 'cards cannot be dragged');
  t.equal(await card(page, 'Conference room').locator('button[role="radio"]').count(), 0, 'stars are shown, not offered');
});
