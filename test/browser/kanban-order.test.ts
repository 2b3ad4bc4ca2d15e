/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate, waitForFunction.)
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Page } from 'playwright-core';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/** A board grouped by a selection, on a model with a `sequence`: cards are ordered by hand. */
const app = await startBrowserApp({ modules: ['board'], modulesDir: fileURLToPath(new URL('./fixtures/modules', import.meta.url)) });
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
for (const [name, sequence] of [
  ['Alpha', 10],
  ['Bravo', 20],
  ['Charlie', 30],
] as const)
  await post(admin, 'board.card', { name, sequence });
await post(admin, 'board.card', { name: 'Delta', sequence: 10, lane: 'doing' });

const lane = (page: Page, key: string) => page.locator(`[data-testid="kanban-column"][data-key="${key}"]`);
const names = (page: Page, key: string) => lane(page, key).locator('[data-testid="kanban-card"] a.title').allTextContents();
/** The cards as the server orders them, once they match `expected` (the neighbours' renumbering may trail). */
async function savedOrder(expected: string[]): Promise<string[]> {
  let order: string[] = [];
  for (let attempt = 0; attempt < 30; attempt++) {
    order = (await admin.request({ method: 'GET', url: '/api/records/board.card?sort=lane,sequence' }))
      .json()
      .data.map((c: { name: string; lane: string }) => `${c.lane}:${c.name}`);
    if (JSON.stringify(order) === JSON.stringify(expected)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return order;
}

t.test("a selection's options are the columns; a card dropped within its column or into another keeps its place", async (t) => {
  const { page, context } = await app.open(admin, '/v/board.card_kanban');
  t.teardown(() => context.close());
  await page.locator('[data-testid="kanban-board"]').waitFor();
  const keys = await page.locator('[data-testid="kanban-column"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
  t.same(keys, ['todo', 'doing', 'done'], 'the options, in order, the empty one too');
  t.same(await names(page, 'todo'), ['Alpha', 'Bravo', 'Charlie']);

  const charlie = lane(page, 'todo').locator('[data-testid="kanban-card"]', { hasText: 'Charlie' });
  await charlie.dragTo(lane(page, 'todo').locator('[data-testid="kanban-card"]', { hasText: 'Alpha' }), {
    targetPosition: { x: 20, y: 5 },
  });
  await page.waitForFunction(
    () => document.querySelector('[data-key="todo"] [data-testid="kanban-card"] a.title')?.textContent === 'Charlie',
  );
  t.same(await names(page, 'todo'), ['Charlie', 'Alpha', 'Bravo'], 'dropped above Alpha');
  const order = ['doing:Delta', 'todo:Charlie', 'todo:Alpha', 'todo:Bravo'];
  t.same(await savedOrder(order), order, 'the order is saved');

  await lane(page, 'todo')
    .locator('[data-testid="kanban-card"]', { hasText: 'Bravo' })
    .dragTo(lane(page, 'doing').locator('[data-testid="kanban-card"]', { hasText: 'Delta' }), { targetPosition: { x: 20, y: 5 } });
  await lane(page, 'doing').locator('[data-testid="kanban-card"]', { hasText: 'Bravo' }).waitFor();
  t.same(await names(page, 'doing'), ['Bravo', 'Delta'], 'into another column, above Delta');
  const moved = ['doing:Bravo', 'doing:Delta', 'todo:Charlie', 'todo:Alpha'];
  t.same(await savedOrder(moved), moved, 'saved with its lane and place');
  await page.reload();
  await lane(page, 'doing').locator('[data-testid="kanban-card"]').first().waitFor();
  t.same(await names(page, 'doing'), ['Bravo', 'Delta'], 'and so it stays after a reload');
});
