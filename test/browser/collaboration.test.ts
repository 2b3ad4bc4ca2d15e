/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.waitForFunction.)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/** Two users on the same lead: the bell, the chatter, the other's avatar, and who edits which field, live. */
const app = await startBrowserApp({
  modules: ['contacts', 'crm'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const sally = await app.testApp.addUser(admin, ['user'], 'Sally Sales');
// Sam is a sales manager: he may edit Sally's leads too.
const sam = await app.testApp.addUser(admin, ['user', 'manager'], 'Sam Seller');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

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
  // Sally's lead.
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
  t.equal((await hint.innerText()).trim(), 'Sally Sales is editing Expected revenue');

  await sallyTab.page.locator('[data-field="name"] input').click();
  await hint.waitFor({ state: 'detached', timeout: 2000 });
  t.pass('the hint leaves the field Sally left');

  await sallyTab.context.close();
  await viewers(samTab).first().waitFor({ state: 'detached', timeout: 3000 });
  t.pass("Sally's avatar goes when her tab closes");
});

t.test("the issue's 'done when': a mention rings the bell, a PDF, an overdue activity, and presence both ways", async (t) => {
  const lead = await post(sally, 'crm.lead', { name: 'Deco robot arms' });
  const samTab = await app.open(sam, '/');
  await app.waitLive(samTab.page);
  const sallyTab = await app.open(sally, `/r/crm.lead/${lead.id}`);
  t.teardown(() => Promise.all([samTab.context.close(), sallyTab.context.close()]));
  t.equal(await samTab.page.locator('[data-testid="bell-count"]').count(), 0, 'nothing unread yet');

  // Sally mentions Sam through the composer's autocomplete.
  const body = sallyTab.page.locator('[data-testid="chatter-body"]');
  await body.pressSequentially('Can you send them the offer, @Sa');
  await sallyTab.page.locator('[data-testid="mention-suggestions"] button', { hasText: 'Sam Seller' }).click();
  t.match(await body.inputValue(), `@[Sam Seller](user:${sam.user.id})`, 'the autocomplete wrote the mention');
  await sallyTab.page.locator('[data-testid="chatter-send"]').click();
  const sent = Date.now();
  await samTab.page.locator('[data-testid="bell-count"]', { hasText: /^\s*1\s*$/ }).waitFor({ timeout: 1000 });
  t.ok(Date.now() - sent < 1000, `Sam's bell shows 1 within a second (${Date.now() - sent} ms)`);

  // Its link opens the lead.
  await samTab.page.locator('[data-testid="bell"]').click();
  const item = samTab.page.locator('[data-testid="notification"]').first();
  t.match(await item.textContent(), /Sally Sales mentioned you on Lead Deco robot arms/);
  await item.click();
  await samTab.page.waitForURL(new RegExp(`/${lead.id}$`));
  await samTab.page.waitForFunction(
    () => document.querySelector<HTMLInputElement>('[data-field="name"] input')?.value === 'Deco robot arms',
  );

  // Sam attaches a PDF; Sally, who has the lead open, sees it arrive.
  const sams = samTab.page;
  await sams.locator('[data-testid="chatter-attach"]').setInputFiles({ name: 'offer.pdf', mimeType: 'application/pdf', buffer: PDF });
  await sams.locator('.files', { hasText: 'offer.pdf' }).waitFor();
  await sams.locator('[data-testid="chatter-body"]').fill('Here is the offer');
  await sams.locator('[data-testid="chatter-send"]').click();
  const arrived = sallyTab.page.locator('[data-testid="chatter-entry"]', { hasText: 'Here is the offer' });
  await arrived.waitFor({ timeout: 5000 });
  t.equal(await arrived.locator('.file').innerText(), 'offer.pdf', 'the PDF reaches Sally live');

  // Sam schedules an activity for Sally, due yesterday: overdue, on the form and on her kanban card.
  await sams.locator('[data-testid="schedule-activity"]').click();
  const form = sams.locator('[data-testid="activity-form"]');
  await form.getByLabel('Activity type').selectOption('call');
  await form.getByLabel('Summary').fill('Call Deco about the offer');
  await form.getByLabel('Due date').fill(yesterday);
  await form.getByLabel('Assigned to').selectOption({ label: 'Sally Sales' });
  await form.locator('button[type="submit"]').click();
  await sams.locator('[data-testid="activity"].overdue', { hasText: 'Call Deco about the offer' }).waitFor();
  await sallyTab.page.locator('[data-testid="activity"].overdue', { hasText: 'Call Deco about the offer' }).waitFor({ timeout: 5000 });
  const board = await sallyTab.context.newPage();
  await board.goto(`${app.url}/v/crm.lead_kanban`);
  const clock = board.locator('[data-testid="kanban-card"]', { hasText: 'Deco robot arms' }).locator('[data-testid="card-activities"]');
  await clock.waitFor();
  t.equal(await clock.getAttribute('data-overdue'), '1', "Sally's card shows the activity overdue");
  await board.close();

  // Both have the lead open: each sees the other's avatar, and "editing" while the other types.
  const viewer = (page: typeof sams, name: string) =>
    page.locator('[data-testid="viewer"]').filter({ has: page.locator(`[title^="${name}"]`) });
  await viewer(sams, 'Sally Sales').waitFor();
  await viewer(sallyTab.page, 'Sam Seller').waitFor();
  t.pass("each sees the other's avatar");

  await sallyTab.page.locator('[data-field="expected_revenue"] input').click();
  await sallyTab.page.keyboard.type('4800');
  const sallyHint = sams.locator('[data-field="expected_revenue"] [data-testid="editing-hint"]');
  await sallyHint.waitFor({ timeout: 2000 });
  t.equal((await sallyHint.innerText()).trim(), 'Sally Sales is editing Expected revenue');
  t.match(await viewer(sams, 'Sally Sales').getAttribute('class'), /editing/, "Sally's avatar says she is editing");

  await sams.locator('[data-field="contact_name"] input').click();
  await sams.keyboard.type('Ada');
  const samHint = sallyTab.page.locator('[data-field="contact_name"] [data-testid="editing-hint"]');
  await samHint.waitFor({ timeout: 2000 });
  t.equal((await samHint.innerText()).trim(), 'Sam Seller is editing Contact name');
  t.match(await viewer(sallyTab.page, 'Sam Seller').getAttribute('class'), /editing/, "Sam's avatar says he is editing");
  await app.screenshot(sallyTab.page, 'collaboration-done-when');
});
