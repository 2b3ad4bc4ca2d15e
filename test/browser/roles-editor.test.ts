import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

t.setTimeout(400_000); // two browser contexts and a dozen saves, on a shared machine
/** Issue 15's roles editor: an admin restricts a role through the matrix; a user with it is limited, in the API and the shell. */
const app = await startBrowserApp({
  modules: ['contacts', 'crm'],
  modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
});
t.teardown(() => app.close());

const admin = await app.testApp.signup('Roles Co');
const stage = (await post(admin, 'crm.stage', { name: 'New', sequence: 1 })).id;

t.test('an admin gives sales "read own leads, never delete" through the matrix; a seller is limited accordingly', async (t) => {
  const { page, context } = await app.open(admin, '/admin/roles');
  t.teardown(() => context.close());
  await page.locator('[data-testid="new-role"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Label').fill('Sales team Europe');
  await dialog.getByLabel('Key').fill('sales_eu');
  await dialog.locator('[data-testid="cell-crm.lead-read"]').selectOption('own');
  await dialog.locator('[data-testid="cell-crm.lead-create"]').selectOption('all');
  await dialog.locator('[data-testid="cell-crm.lead-update"]').selectOption('own');
  t.equal(await dialog.locator('[data-testid="cell-crm.lead-delete"]').inputValue(), 'none', 'delete stays none');
  await dialog.locator('[data-testid="cell-crm.stage-read"]').selectOption('all');
  await dialog.locator('[data-testid="cell-contacts.partner-read"]').selectOption('custom');
  await dialog.locator('[data-testid="rule-contacts.partner-read"]').fill('{"is_company": true}');
  await dialog.locator('[data-testid="fields-crm.lead"]').click();
  await dialog.locator('[data-testid="field-crm.lead-expected_revenue-read"]').uncheck();
  await dialog.getByRole('button', { name: 'Save role' }).click();
  await page.locator('[data-testid="toast"]', { hasText: 'Role Sales team Europe saved' }).waitFor();
  await page.locator('[data-testid="role"]', { hasText: 'Sales team Europe' }).waitFor();

  const roles = await admin.request({ method: 'GET', url: '/api/admin/roles' });
  const role = roles.json().data.find((r: { name: string }) => r.name === 'sales_eu');
  t.equal(role.label, 'Sales team Europe');
  t.same(role.permissions['crm.lead'].read, { salesperson: '$user' }, 'own records: by the salesperson');
  t.equal(role.permissions['crm.lead'].create, true);
  t.notOk('delete' in role.permissions['crm.lead'], 'no delete');
  t.same(role.permissions['contacts.partner'], { read: { is_company: true } }, 'the custom rule as typed');
  t.notOk(role.permissions['crm.lead'].fields.read.includes('expected_revenue'));
  t.ok(role.permissions['crm.lead'].fields.read.includes('name'));

  const seller = await app.testApp.addUser(admin, ['sales_eu'], 'Seller');
  const theirs = (await post(admin, 'crm.lead', { name: 'Not theirs', stage })).id;
  const mine = (await post(admin, 'crm.lead', { name: 'Their own lead', stage, salesperson: seller.user.id, expected_revenue: '900' })).id;
  const list = await seller.request({ method: 'GET', url: '/api/records/crm.lead' });
  t.same(
    list.json().data.map((l: { name: string }) => l.name),
    ['Their own lead'],
    'REST: only their own leads',
  );
  t.notOk('expected_revenue' in list.json().data[0], 'REST: the hidden field is not sent');
  t.equal((await seller.request({ method: 'GET', url: `/api/records/crm.lead/${theirs}` })).statusCode, 404);
  t.equal((await seller.request({ method: 'DELETE', url: `/api/records/crm.lead/${mine}` })).statusCode, 403, 'REST: delete refused');

  const shell = await app.open(seller, '/v/crm.lead_list');
  t.teardown(() => shell.context.close());
  await shell.page.locator('[data-testid="list-row"]', { hasText: 'Their own lead' }).waitFor();
  t.equal(await shell.page.locator('[data-testid="list-row"]').count(), 1, 'shell: one lead listed');
  await shell.page.locator('[data-testid="list-row"]', { hasText: 'Their own lead' }).click();
  await shell.page.locator('[data-testid="page-title"]', { hasText: 'Their own lead' }).waitFor();
  t.equal(await shell.page.getByRole('button', { name: 'Delete' }).count(), 0, 'shell: no delete button');
  t.equal(await shell.page.locator('[data-field="expected_revenue"]').count(), 0, 'shell: the hidden field is not shown');

  // Editing the role again shows the matrix it was saved from; the custom rule is kept on a save that does not touch it.
  await page.locator('[data-testid="role"]', { hasText: 'Sales team Europe' }).getByRole('button', { name: 'Edit' }).click();
  t.equal(await dialog.locator('[data-testid="cell-crm.lead-read"]').inputValue(), 'own');
  t.equal(await dialog.locator('[data-testid="cell-contacts.partner-read"]').inputValue(), 'custom');
  await dialog.locator('[data-testid="cell-crm.lead-update"]').selectOption('none');
  await dialog.getByRole('button', { name: 'Save role' }).click();
  await page.locator('[data-testid="toast"]', { hasText: 'Role Sales team Europe saved' }).last().waitFor();
  await dialog.waitFor({ state: 'detached' });
  const after = (await admin.request({ method: 'GET', url: '/api/admin/roles' }))
    .json()
    .data.find((r: { name: string }) => r.name === 'sales_eu');
  t.same(after.permissions['contacts.partner'], { read: { is_company: true } }, 'the custom rule survives the save');
  t.notOk('update' in after.permissions['crm.lead']);
  t.equal(
    (await seller.request({ method: 'PATCH', url: `/api/records/crm.lead/${mine}`, payload: { name: 'Renamed' } })).statusCode,
    403,
    'REST: update now refused',
  );

  await dialog.waitFor({ state: 'detached' });
  await page.locator('[data-testid="role"]', { hasText: 'Sales team Europe' }).getByRole('button', { name: 'Edit' }).click();
  await dialog.locator('[data-testid="role-json"]').click();
  const json = JSON.parse(await dialog.locator('textarea[name="permissions"]').inputValue());
  t.same(json, after.permissions, 'advanced: the JSON the API holds');
});
