import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/**
 * A field type a module registers (crm's percent, for a lead's probability) in the shell, which knows no
 * percent: it goes by the kind, widget and suffix /api/meta gives (a number input from 0 to 100, "40%").
 */
const app = await startBrowserApp({
  modules: ['contacts', 'crm'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const lead = await post(admin, 'crm.lead', { name: 'Office chairs', probability: 40 });

t.test('a list shows a percent with its unit', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_list');
  t.teardown(() => context.close());
  const row = page.locator('[data-testid="list-row"]', { hasText: 'Office chairs' });
  await row.waitFor();
  t.match(await row.textContent(), '40%');
});

t.test('a kanban card shows it too', async (t) => {
  const { page, context } = await app.open(admin, '/v/crm.lead_kanban');
  t.teardown(() => context.close());
  const card = page.locator('[data-testid="kanban-card"]', { hasText: 'Office chairs' });
  await card.waitFor();
  t.match(await card.textContent(), '40%');
});

t.test('a form edits it as a number from 0 to 100 and saves it', async (t) => {
  const { page, context } = await app.open(admin, `/v/crm.lead_list/${lead.id}`);
  t.teardown(() => context.close());
  const input = page.locator('[data-field="probability"] input');
  await input.waitFor();
  t.same(
    [await input.getAttribute('type'), await input.getAttribute('min'), await input.getAttribute('max'), await input.inputValue()],
    ['number', '0', '100', '40'],
  );
  await input.fill('55');
  await page.locator('[data-testid="save"]').click();
  await page
    .locator('[data-testid="save"]')
    .waitFor({ state: 'hidden' })
    .catch(() => undefined);
  let saved: { probability?: number } = {};
  for (let i = 0; i < 50 && saved.probability !== 55; i++) {
    saved = (await admin.request({ method: 'GET', url: `/api/records/crm.lead/${lead.id}` })).json();
    if (saved.probability !== 55) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.equal(saved.probability, 55, 'written as a number');
});
