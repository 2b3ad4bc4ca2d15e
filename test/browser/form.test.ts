import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { relaySocket, startBrowserApp } from './browser-harness.ts';
import { post, seedPipeline } from './sales-fixture.ts';

t.setTimeout(300_000); // eight scenarios of two browser contexts each, on a shared machine
const app = await startBrowserApp();
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const colleague = await app.testApp.addUser(admin, ['manager'], 'Maria Manager');
const salesperson = await app.testApp.addUser(admin, ['user'], 'Sam Seller');
const pipeline = await seedPipeline(admin);

const formOf = (id: string) => `/v/sales.deal_kanban/${id}`;
const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);
const get = async (id: string) => (await admin.request({ method: 'GET', url: `/api/records/sales.deal/${id}` })).json();

async function openForm(user: typeof admin, id: string, options?: Parameters<typeof app.open>[2]) {
  const opened = await app.open(user, formOf(id), options);
  await field(opened.page, 'name').waitFor();
  await app.waitLive(opened.page);
  return opened;
}

t.test('editing a form saves the changes with the record version, and the history shows them', async (t) => {
  const id = pipeline.deals['Desk renewal'].id;
  const { page, context } = await openForm(admin, id);
  t.teardown(() => context.close());
  t.equal(await page.locator('[data-testid="save"]').isDisabled(), true, 'nothing to save yet');
  await field(page, 'name').locator('input').fill('Desk renewal, phase 2');
  await field(page, 'amount').locator('input').fill('6250.5');
  await page.locator('.unsaved').waitFor();
  await page.locator('[data-testid="save"]').click();
  await page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  const saved = await get(id);
  t.equal(saved.name, 'Desk renewal, phase 2');
  t.equal(saved.amount, '6250.50');
  t.equal(saved.version, 2, 'one write');
  t.equal(await field(page, 'amount').locator('input').inputValue(), '6250.50', 'the form shows what the server saved');
  await page.locator('[data-testid="history"] .changes li', { hasText: 'Desk renewal, phase 2' }).waitFor();
  t.match(
    await page.locator('[data-testid="history"]').textContent(),
    /Amount\s*\$5,400\.50\s*→\s*\$6,250\.50/,
    'the history shows what changed, from what',
  );
  await app.screenshot(page, 'deal-form');
  await page.locator('a.crumb', { hasText: 'Pipeline' }).click();
  await page.locator('[data-testid="kanban-card"]', { hasText: 'Desk renewal, phase 2' }).waitFor();
});

t.test('validation errors appear next to their fields: the required check here, the server rules there', async (t) => {
  const { page, context } = await openForm(admin, pipeline.deals['Conference room'].id);
  t.teardown(() => context.close());
  await field(page, 'name').locator('input').fill('');
  await field(page, 'probability').locator('input').fill('150');
  await page.locator('[data-testid="save"]').click();
  t.equal(await field(page, 'name').locator('[data-testid="field-error"]').textContent(), 'is required');
  await field(page, 'name').locator('input').fill('Conference room');
  await page.locator('[data-testid="save"]').click();
  const error = field(page, 'probability').locator('[data-testid="field-error"]');
  await error.waitFor();
  t.match(await error.textContent(), /100/, 'the server refuses a probability over 100, and says so under the field');
  t.equal((await get(pipeline.deals['Conference room'].id)).version, 1, 'nothing was saved');
});

t.test('one2many lines are edited inline and saved with the record', async (t) => {
  const { page, context } = await openForm(admin, pipeline.deals['Conference room'].id);
  t.teardown(() => context.close());
  await page.locator('[data-testid="add-line"]').click();
  await page.locator('[data-testid="add-line"]').click();
  const rows = page.locator('[data-testid="line"]');
  await rows.nth(0).locator('input').nth(0).fill('Table');
  await rows.nth(0).locator('input').nth(1).fill('1');
  await rows.nth(0).locator('input').nth(2).fill('2400');
  await rows.nth(1).locator('input').nth(0).fill('Chairs');
  await rows.nth(1).locator('input').nth(1).fill('12');
  await rows.nth(1).locator('input').nth(2).fill('150');
  await page.locator('[data-testid="save"]').click();
  await page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  // The fixture orders lines by created_at, equal for lines saved together: compare them as a set.
  const lines = (await get(pipeline.deals['Conference room'].id)).lines;
  t.same(lines.map((l: { description: string; qty: number; price: string }) => [l.description, l.qty, l.price]).sort(), [
    ['Chairs', 12, '150.00'],
    ['Table', 1, '2400.00'],
  ]);
  const descriptions = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('input')?.value));
  await rows.nth(descriptions.indexOf('Table')).locator('button[aria-label^="Remove"]').click();
  await page.locator('[data-testid="save"]').click();
  await page.locator('[data-testid="toast"]', { hasText: 'Saved' }).nth(1).waitFor();
  t.same(
    (await get(pipeline.deals['Conference room'].id)).lines.map((l: { description: string }) => l.description),
    ['Chairs'],
    'a removed line is deleted',
  );
});

t.test('action buttons follow the record state and the user permissions', async (t) => {
  const mine = await post(salesperson, 'sales.deal', { name: 'Sam deal', stage: pipeline.stages.Lead });
  const [own, other] = await Promise.all([openForm(salesperson, mine.id), openForm(salesperson, pipeline.deals['Office chairs'].id)]);
  t.teardown(async () => {
    await Promise.all([own.context.close(), other.context.close()]);
  });
  t.equal(await other.page.locator('[data-testid="save"]').count(), 0, "another's deal is read-only for a salesperson: no save");
  t.equal(await field(other.page, 'amount').locator('input').count(), 0, 'and no inputs');
  t.equal(await other.page.locator('[data-testid="actions"] button', { hasText: 'Close' }).count(), 0, 'and no Close');

  const close = own.page.locator('[data-testid="actions"] button', { hasText: 'Close' });
  await close.click();
  await own.page.locator('[data-testid="toast"]', { hasText: 'Close: done' }).waitFor();
  await close.waitFor({ state: 'detached' });
  t.equal(
    (await salesperson.request({ method: 'GET', url: `/api/records/sales.deal/${mine.id}` })).json().done,
    true,
    'the action ran on the server',
  );
  t.equal(await close.count(), 0, 'Close is offered only while the deal is not done');
});

t.test("a colleague's save of another field is merged into the form you are typing in, nothing asked", async (t) => {
  const id = pipeline.deals['Conference room'].id;
  const [editor, other] = await Promise.all([openForm(colleague, id), openForm(admin, id)]);
  t.teardown(async () => {
    await Promise.all([editor.context.close(), other.context.close()]);
  });
  await field(editor.page, 'name').locator('input').fill('Conference room, two screens');
  await field(other.page, 'amount').locator('input').fill('17500');
  await other.page.locator('[data-testid="save"]').click();
  await other.page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  await editor.page.waitForFunction(
    () => (document.querySelector('[data-field="amount"] input') as HTMLInputElement | null)?.value === '17500.00',
  );
  t.equal(await field(editor.page, 'name').locator('input').inputValue(), 'Conference room, two screens', 'what I typed is still there');
  t.equal(await editor.page.locator('[data-testid="conflict"]').count(), 0, 'nothing to ask: not the same field');
  await editor.page.locator('[data-testid="save"]').click();
  await editor.page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  const saved = await get(id);
  t.same([saved.name, saved.amount], ['Conference room, two screens', '17500.00'], 'both changes kept');
});

t.test("someone else's save of the field you are editing is shown to you, with your change kept aside", async (t) => {
  const id = pipeline.deals['Office chairs'].id;
  const [editor, other] = await Promise.all([openForm(colleague, id), openForm(admin, id)]);
  t.teardown(async () => {
    await Promise.all([editor.context.close(), other.context.close()]);
  });
  await field(editor.page, 'name').locator('input').fill('Office chairs (ergonomic)');
  await field(other.page, 'name').locator('input').fill('Office chairs (mesh)');
  await field(other.page, 'amount').locator('input').fill('1999');
  await other.page.locator('[data-testid="save"]').click();
  const banner = editor.page.locator('[data-testid="conflict"]');
  await banner.waitFor({ timeout: 2000 });
  t.match(await banner.textContent(), 'while you were editing it');
  t.equal(await field(editor.page, 'amount').locator('input').inputValue(), '1999.00', 'their version is shown');
  t.equal(await editor.page.locator('[data-testid="conflict"]').count(), 1);
  t.equal(await field(editor.page, 'name').locator('input').inputValue(), 'Office chairs (mesh)', 'their name, mine kept aside');
  await editor.page.locator('[data-testid="reapply"]').click();
  t.equal(
    await field(editor.page, 'name').locator('input').inputValue(),
    'Office chairs (ergonomic)',
    'my change is back, on top of theirs',
  );
  await editor.page.locator('[data-testid="save"]').click();
  await editor.page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  const saved = await get(id);
  t.same([saved.name, saved.amount], ['Office chairs (ergonomic)', '1999.00'], 'both changes kept, none overwritten');
});

/**
 * Opens the deal's form for the colleague with its live events held back, then lets the admin change
 * `changes` underneath: the colleague's next save is stale.
 */
async function openStaleForm(t: Test, id: string, changes: Record<string, unknown>) {
  let relay!: Awaited<ReturnType<typeof relaySocket>>;
  const { page, context } = await openForm(colleague, id, { prepare: async (c) => void (relay = await relaySocket(c)) });
  t.teardown(() => context.close());
  relay.hold();
  const before = await get(id);
  await admin.request({
    method: 'PATCH',
    url: `/api/records/sales.deal/${id}`,
    payload: changes,
    headers: { 'if-match': String(before.version) },
  });
  return page;
}

t.test('a save refused with 409 shows the current version instead of overwriting it', async (t) => {
  const id = pipeline.deals['Office chairs'].id;
  const page = await openStaleForm(t, id, { amount: '2500', probability: 30 });
  await field(page, 'probability').locator('input').fill('40');
  await page.locator('[data-testid="save"]').click();
  const banner = page.locator('[data-testid="conflict"]');
  await banner.waitFor();
  t.match(await banner.textContent(), 'before you');
  t.equal(await field(page, 'amount').locator('input').inputValue(), '2500.00', 'the current version, from the 409');
  const saved = await get(id);
  t.same([saved.amount, saved.probability], ['2500.00', 30], 'the stale save wrote nothing');
});

t.test('a save refused with 409 for fields nobody else changed is merged and saved again', async (t) => {
  const id = pipeline.deals['Desk renewal'].id;
  const page = await openStaleForm(t, id, { amount: '7000' });
  await field(page, 'probability').locator('input').fill('55');
  await page.locator('[data-testid="save"]').click();
  await page.locator('[data-testid="toast"]', { hasText: 'Saved' }).waitFor();
  const saved = await get(id);
  t.same([saved.amount, saved.probability], ['7000.00', 55], 'theirs and mine, neither overwritten');
});
