import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post, seedPipeline } from './sales-fixture.ts';

/*
 * Working together on a record (docs/api.md, "Chatter and activities"): Alice mentions Maria in a message
 * with a PDF attached and schedules an activity for her, due yesterday. Maria, who has the deal open, sees
 * the message arrive live; her kanban card shows the overdue activity.
 */
const app = await startBrowserApp();
t.teardown(() => app.close());

const alice = await app.testApp.signup('Acme Robotics');
const maria = await app.testApp.addUser(alice, ['manager'], 'Maria Manager');
const pipeline = await seedPipeline(alice);
const deal = await post(alice, 'sales.deal', { name: 'Robot arms', stage: pipeline.stages.Lead });
const form = `/v/sales.deal_kanban/${deal.id}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

t.test('a message with a mention and a PDF reaches the other viewer live; an overdue activity shows on her card', async (t) => {
  const marias = await app.open(maria, form);
  t.teardown(() => marias.context.close());
  await marias.page.locator('[data-testid="chatter"]').waitFor();
  await app.waitLive(marias.page);

  // The tenant's users (for the autocomplete) answer only after the `@` is typed, as on a slow connection.
  let release = () => {};
  const usersHeld = new Promise<void>((resolve) => (release = resolve));
  const alices = await app.open(alice, form, {
    prepare: async (context) => {
      await context.route(/\/api\/records\/core\.user(\?|$)/, async (route) => {
        await usersHeld;
        await route.continue();
      });
    },
  });
  t.teardown(() => alices.context.close());
  const page = alices.page;
  const body = page.locator('[data-testid="chatter-body"]');
  await body.waitFor();
  await body.pressSequentially('Please call them @Mar');
  release();
  await page.locator('[data-testid="mention-suggestions"] button', { hasText: 'Maria Manager' }).click();
  t.match(await body.inputValue(), `@[Maria Manager](user:${maria.user.id})`, 'the autocomplete wrote the mention');
  await page.locator('[data-testid="chatter-attach"]').setInputFiles({ name: 'offer.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('.files', { hasText: 'offer.pdf' }).waitFor();
  await page.locator('[data-testid="chatter-send"]').click();
  await page.locator('[data-testid="chatter-entry"]', { hasText: 'Please call them' }).waitFor();

  const arrived = marias.page.locator('[data-testid="chatter-entry"]', { hasText: 'Please call them' });
  await arrived.waitFor({ timeout: 5000 });
  t.equal(await arrived.locator('.mention').innerText(), '@Maria Manager', 'the mention shows as her name');
  t.equal(await arrived.locator('.file').innerText(), 'offer.pdf', 'with the file');
  t.equal(
    await marias.page
      .locator('[data-testid="follow"]')
      .innerText()
      .then((s) => s.startsWith('Following')),
    true,
    'mentioned: she follows',
  );

  await page.locator('[data-testid="schedule-activity"]').click();
  const activity = page.locator('[data-testid="activity-form"]');
  await activity.getByLabel('Activity type').selectOption('call');
  await activity.getByLabel('Summary').fill('Call about the arms');
  await activity.getByLabel('Due date').fill(yesterday);
  await activity.getByLabel('Assigned to').selectOption({ label: 'Maria Manager' });
  await activity.locator('button[type="submit"]').click();
  await page.locator('[data-testid="activity"].overdue', { hasText: 'Call about the arms' }).waitFor();
  await marias.page.locator('[data-testid="activity"].overdue', { hasText: 'Call about the arms' }).waitFor({ timeout: 5000 });

  const board = await marias.context.newPage();
  await board.goto(`${app.url}/v/sales.deal_kanban`);
  const clock = board.locator('[data-testid="kanban-card"]', { hasText: 'Robot arms' }).locator('[data-testid="card-activities"]');
  await clock.waitFor();
  t.equal(await clock.getAttribute('data-overdue'), '1', 'the card shows the activity overdue');
  t.match(await clock.getAttribute('class'), /overdue/);

  const mine = await marias.context.newPage();
  await mine.goto(`${app.url}/activities`);
  await mine.locator('[data-testid="my-activity"]', { hasText: 'Call about the arms' }).waitFor();
  t.match(await mine.locator('[data-testid="my-activity"]').innerText(), /Robot arms/);
  await app.screenshot(marias.page, 'chatter-form');
});
