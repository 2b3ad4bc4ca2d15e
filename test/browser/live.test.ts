/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate, addInitScript.)
import t from 'tap';
import type { Page } from 'playwright-core';
import { relaySocket, startBrowserApp, type SocketRelay } from './browser-harness.ts';
import { post, seedPipeline } from './sales-fixture.ts';
import { sql } from '@atrium/core/testing';

const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['manager'], 'Maria Manager');
const pipeline = await seedPipeline(admin);

const cards = (page: Page, name: string) => page.locator('[data-testid="kanban-card"]', { hasText: name });

async function openWithRelay(path: string): Promise<{ page: Page; relay: SocketRelay; close: () => Promise<void> }> {
  let relay!: SocketRelay;
  const { page, context } = await app.open(colleague, path, { prepare: async (c) => void (relay = await relaySocket(c)) });
  await app.waitLive(page);
  return { page, relay, close: () => context.close() };
}

t.test('after a lost connection the board resumes from its last cursor and shows each change once', async (t) => {
  const { page, relay, close } = await openWithRelay('/v/sales.deal_kanban');
  t.teardown(close);
  await page.locator('[data-testid="kanban-board"]').waitFor();
  // Changes made while the connection is failing never reach the page…
  relay.hold();
  await post(admin, 'sales.deal', { name: 'Missed while away', stage: pipeline.stages.Lead });
  await post(admin, 'sales.deal', { name: 'Also missed', stage: pipeline.stages.Qualified });
  await page.waitForTimeout(200);
  t.equal(await cards(page, 'Missed while away').count(), 0, 'not delivered while the connection is down');
  // …then it drops, the page reconnects and asks for what came after the last event it saw.
  await relay.cut();
  await cards(page, 'Missed while away').waitFor({ timeout: 5000 });
  await cards(page, 'Also missed').waitFor({ timeout: 1000 });
  await app.waitLive(page);
  t.equal(relay.connections, 2, 'one reconnection');
  const firstMissed = relay.received.find((f) => (f.record as { name?: string } | undefined)?.name === 'Missed while away')!;
  t.equal(
    new URL(relay.urls[1]).searchParams.get('after'),
    String(Number(firstMissed.cursor) - 1),
    'it reconnected with after= the last cursor it had seen',
  );
  t.same(relay.sent, [], 'and had nothing to send: the replay came before any live event');
  await post(admin, 'sales.deal', { name: 'After the reconnection', stage: pipeline.stages.Lead });
  await cards(page, 'After the reconnection').waitFor({ timeout: 1000 });
  await page.waitForTimeout(300);
  for (const name of ['Missed while away', 'Also missed', 'After the reconnection'])
    t.equal(await cards(page, name).count(), 1, `"${name}" shown once`);
});

t.test('resync_required makes the page reload what it shows', async (t) => {
  const { page, relay, close } = await openWithRelay('/v/sales.deal_list');
  t.teardown(close);
  await page.locator('[data-testid="list-row"]').first().waitFor();
  relay.hold();
  await post(admin, 'sales.deal', { name: 'Only a reload shows this', stage: pipeline.stages.Lead });
  // Retention removes what the page missed: its cursor is no longer known, and the server says so.
  const { db } = app.testApp.app.platform;
  await db.system(sql`UPDATE core_events SET at = now() - interval '31 days' WHERE tenant_id = ${admin.tenant.id}::uuid`);
  await app.testApp.app.realtime.retention.pass();
  await relay.cut();
  await page.locator('[data-testid="list-row"]', { hasText: 'Only a reload shows this' }).waitFor({ timeout: 5000 });
  t.ok(
    relay.received.some((f) => f.type === 'resync_required'),
    'the server answered the reconnection with resync_required',
  );
  t.equal(
    await page.locator('[data-testid="list-row"]', { hasText: 'Only a reload shows this' }).count(),
    1,
    'the list was read again after resync_required',
  );
});

t.test('an event older than what the board shows of its record is not applied (a card never comes back to its old column)', async (t) => {
  const { page, relay, close } = await openWithRelay('/v/sales.deal_kanban');
  t.teardown(close);
  await page.locator('[data-testid="kanban-board"]').waitFor();
  const deal = await post(admin, 'sales.deal', { name: 'Moved on', stage: pipeline.stages.Lead });
  await cards(page, 'Moved on').waitFor({ timeout: 5000 });
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { stage: pipeline.stages.Qualified } });
  const inColumn = (stage: string) =>
    page.locator(`[data-testid="kanban-column"][data-key="${stage}"] [data-testid="kanban-card"]`, { hasText: 'Moved on' });
  await inColumn(pipeline.stages.Qualified).waitFor({ timeout: 5000 });
  const created = relay.received.find((f) => f.type === 'event' && f.id === deal.id && f.version === 1)!;
  const last = Math.max(...relay.received.filter((f) => f.type === 'event').map((f) => Number(f.cursor)));
  // As if a replay had been overtaken by live events: the creation again, under a cursor the page has not seen.
  relay.inject({ ...created, cursor: String(last + 1000) });
  await page.waitForTimeout(300);
  t.equal(await cards(page, 'Moved on').count(), 1, 'one card');
  t.equal(await inColumn(pipeline.stages.Qualified).count(), 1, 'in the column of its newest version');
});

t.test('an open form follows changes made elsewhere when it has no unsaved edits', async (t) => {
  const id = pipeline.deals['Conference room'].id;
  const { page, close } = await openWithRelay(`/v/sales.deal_kanban/${id}`);
  t.teardown(close);
  await page.locator('[data-field="amount"] input').waitFor();
  await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${id}`, payload: { amount: '17500' } });
  await page.waitForFunction(
    () => (document.querySelector('[data-field="amount"] input') as HTMLInputElement | null)?.value === '17500.00',
    undefined,
    { timeout: 1000 },
  );
  t.equal(await page.locator('[data-testid="conflict"]').count(), 0, 'no conflict: there was nothing to lose');
  await admin.request({ method: 'DELETE', url: `/api/records/sales.deal/${id}` });
  await page.locator('[role="alert"]', { hasText: 'Someone else deleted' }).waitFor({ timeout: 1000 });
  t.equal(await page.locator('[data-testid="save"]').count(), 0, 'a deleted record cannot be saved');
});
