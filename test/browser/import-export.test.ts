import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/** The quotations list leaves as a CSV and comes back edited: two updated, one created; a bad row writes nothing. */
// The shell may be built first (a minute or two on a loaded machine).
t.setTimeout(400_000);
const app = await startBrowserApp({
  modules: ['contacts', 'crm', 'quotations'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Acme Robotics');
const deco = await post(admin, 'contacts.partner', { name: 'Deco Addict', is_company: true });
await post(admin, 'contacts.partner', { name: 'Azure Interior', is_company: true });
const first = await post(admin, 'quotations.quotation', { customer: deco.id, date: '2026-01-10' });
const second = await post(admin, 'quotations.quotation', { customer: deco.id, date: '2026-01-11' });

async function quotations(): Promise<{ id: string; date: string; customer: { display: string } }[]> {
  const response = await admin.request({ method: 'GET', url: '/api/records/quotations.quotation?sort=date' });
  return response.json().data;
}

const { page, context } = await app.open(admin, '/v/quotations.quotation_list');
t.teardown(() => context.close());
await page.locator('[data-testid="list-row"]').first().waitFor();

t.test('export the list, re-import it edited: two updated, one created', async (t) => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()]);
  const rows: string[][] = parse(readFileSync((await download.path())!, 'utf8'), { bom: true });
  t.same(rows[0].slice(0, 4), ['ID', 'Number', 'Quotation date', 'Customer'], 'the id, then the visible columns by label');
  t.ok(rows[0].includes('Total'));
  const dateColumn = rows[0].indexOf('Quotation date');
  const customerColumn = rows[0].indexOf('Customer');
  t.equal(rows.length, 3);
  const edited = rows.map((row, i) => (i === 0 ? row : row.map((cell, j) => (j === dateColumn ? `2026-06-0${i}` : cell))));
  const added = rows[0].map((_, j) => (j === dateColumn ? '2026-07-01' : j === customerColumn ? 'Azure Interior' : ''));
  await page.locator('[data-testid="import"]').click();
  await page
    .locator('[data-testid="import-file"]')
    .setInputFiles({ name: 'quotations.csv', mimeType: 'text/csv', buffer: Buffer.from(stringify([...edited, added])) });
  await page.locator('[data-testid="import-summary"]', { hasText: 'Ready: 1 to create, 2 to update.' }).waitFor();
  t.equal(await page.locator('[data-testid="import-preview"] tbody tr').count(), 3, 'a preview of the rows');
  await page.locator('[data-testid="import-run"]').click();
  await page.locator('[data-testid="import-dialog"]').waitFor({ state: 'detached' });
  const after = await quotations();
  t.same(
    after.map((q) => [q.date, q.customer.display]),
    [
      ['2026-06-01', 'Deco Addict'],
      ['2026-06-02', 'Deco Addict'],
      ['2026-07-01', 'Azure Interior'],
    ],
  );
  t.same(
    after
      .slice(0, 2)
      .map((q) => q.id)
      .sort(),
    [first.id, second.id].sort(),
    'the exported ones were updated, not copied',
  );
});

t.test('a bad row shows its error and nothing is written', async (t) => {
  const before = await quotations();
  const csv = stringify([
    ['Customer', 'Date'],
    ['Deco Addict', '2026-08-01'],
    ['Nobody Ltd', '2026-08-02'],
  ]);
  await page.locator('[data-testid="import"]').click();
  await page.locator('[data-testid="import-file"]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const errors = page.locator('[data-testid="import-errors"]');
  await errors.waitFor();
  t.match(await errors.textContent(), 'Row 3, Customer: no record named "Nobody Ltd"');
  t.ok(await page.locator('[data-testid="import-run"]').isDisabled(), 'it cannot be imported as it is');
  await app.screenshot(page, 'import-errors');
  t.same(await quotations(), before, 'nothing written');
});
