import t from 'tap';
import { setTenantPlan } from '@atrium/core/platform';
import { startBrowserApp } from './browser-harness.ts';

/**
 * Issue 18: the admin's usage page draws its charts with the plan's limits beside each figure; a 402 is
 * explained, and so is a 429 over the plan's requests per minute.
 */
const app = await startBrowserApp({
  plans: {
    default: 'small',
    list: {
      small: { label: 'Small', limits: { users: 3, records: 4, modules: 2 } },
      big: { label: 'Big' },
      slow: { label: 'Slow', limits: { requestsPerMinute: 2 } },
    },
  },
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Usage Co');
for (const name of ['Acme', 'Globex']) {
  const created = await admin.request({ method: 'POST', url: '/api/records/dir.company', payload: { name } });
  if (created.statusCode !== 201) throw new Error(`seeding: ${created.statusCode} ${created.body}`);
}

t.test('the usage page shows its charts with data and the limits beside the figures', async (t) => {
  const { page, context } = await app.open(admin, '/admin/usage');
  t.teardown(() => context.close());
  await page.locator('[data-testid="plan-name"]', { hasText: 'Small' }).waitFor();
  t.equal((await page.locator('[data-testid="figure-records"] .value').textContent())?.trim(), '4', 'two stages and two companies');
  t.equal((await page.locator('[data-testid="limit-records"]').textContent())?.trim(), 'of 4');
  t.equal((await page.locator('[data-testid="limit-users"]').textContent())?.trim(), 'of 3');
  t.equal((await page.locator('[data-testid="limit-storage"]').textContent())?.trim(), 'no limit');
  t.match(await page.locator('[data-testid="figure-records"]').textContent(), /Limit reached/);
  t.equal(await page.locator('[data-testid="model-row"][data-model="dir.company"] td').nth(2).textContent(), '2');

  for (const chart of ['chart-writes', 'chart-records']) {
    const canvas = page.locator(`[data-testid="${chart}"] canvas`);
    t.ok(Number(await canvas.getAttribute('data-points')) > 0, `${chart}: has data`);
    // Something is drawn: the canvas has opaque pixels in the bars' or the line's colour.
    const drawn = await canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 200 && pixels[i + 2] > pixels[i] + 60) coloured++;
      return coloured;
    });
    t.ok(drawn > 50, `${chart}: drawn on its canvas (${drawn} coloured pixels)`);
  }
  await app.screenshot(page, 'usage-page');
});

t.test('a write over the plan is explained in the shell, with a link to the plan and usage page', async (t) => {
  const { page, context } = await app.open(admin, '/v/dir.company_list');
  t.teardown(() => context.close());
  await page.locator('[data-testid="new-record"]').click();
  await page.locator('[data-field="name"] input').fill('Initech');
  await page.locator('[data-testid="save"]').click();
  const notice = page.locator('[data-testid="plan-limit"]');
  await notice.waitFor();
  t.match(await notice.textContent(), /plan does not allow more.*It allows 4 records \(you have 4\)/s);
  // The form still holds the unsaved company: the shell asks before leaving it.
  page.once('dialog', (dialog) => void dialog.accept());
  await notice.locator('[data-testid="plan-limit-upgrade"]').click();
  await page.locator('[data-testid="plan-name"]', { hasText: 'Small' }).waitFor();
  t.match(page.url(), /\/admin\/usage$/);
  t.equal(await notice.count(), 0, 'the notice goes once followed');
  t.equal((await admin.request({ method: 'GET', url: '/api/records/dir.company' })).json().data.length, 2, 'nothing was written');
});

t.test("over the plan's requests per minute, the shell says how many the plan allows, with the link for admins", async (t) => {
  const busy = await app.testApp.signup('Busy Co');
  await setTenantPlan(app.testApp.app.platform, busy.tenant.id, 'slow');
  // The list view's own requests (meta, views, the records) take the company over 2 in a minute.
  const { page, context } = await app.open(busy, '/v/dir.company_list');
  t.teardown(() => context.close());
  const notice = page.locator('[data-testid="plan-limit"]');
  await notice.waitFor();
  t.match(await notice.textContent(), /plan allows 2 requests per minute.*Wait a moment and try again/s);
  t.equal(await notice.locator('[data-testid="plan-limit-upgrade"]').getAttribute('href'), '/admin/usage', 'an admin is shown the plan');
  await app.screenshot(page, 'requests-per-minute');
});
