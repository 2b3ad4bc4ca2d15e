import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';

/** Issue 15: an admin builds the Won → project automation on the Automations page, with no code, and sees it work. */
t.setTimeout(300_000); // a shell build check, chromium and two scenarios, on a shared machine
const app = await startBrowserApp({ modules: ['contacts', 'crm', 'projects'], modulesDir: 'modules' });
t.teardown(() => app.close());

const admin = await app.testApp.signup('Automation Co');
const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  (await admin.request({ method, url, ...(payload ? { payload } : {}) })).json();

t.test('the Won → project automation, created on the page, creates the project and shows its run', async (t) => {
  const { page, context } = await app.open(admin, '/');
  t.teardown(() => context.close());
  await page.getByRole('link', { name: 'Automations' }).click();
  await page.getByText('No automations yet').waitFor();

  await page.locator('[data-testid="new-automation"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('[name="name"]').fill('Won lead → project');
  await dialog.locator('[name="model"]').selectOption('crm.lead');
  await dialog.locator('[name="on"]').selectOption('update');
  await dialog.locator('[name="fields"]').selectOption(['stage']);
  await dialog.locator('[name="when"]').fill('{"probability": 100}');
  await dialog.locator('[name="action-type"]').selectOption('create');
  await dialog.locator('[name="action-model"]').selectOption('projects.project');
  await dialog.locator('[name="action-values"]').fill('{"name": {"$field": "name"}, "customer": {"$field": "customer"}}');
  await dialog.locator('[data-testid="save-automation"]').click();
  await page.locator('[data-testid="toast"]', { hasText: 'Automation Won lead → project saved' }).waitFor();
  await page.locator('[data-testid="automation"]', { hasText: 'Won lead → project' }).waitFor();

  const [saved] = (await api('GET', '/api/admin/automations')).data;
  t.match(saved, {
    model: 'crm.lead',
    trigger: { on: 'update', fields: ['stage'], when: { probability: 100 } },
    actions: [{ type: 'create', model: 'projects.project', values: { name: { $field: 'name' }, customer: { $field: 'customer' } } }],
    active: true,
  });

  const customer = await api('POST', '/api/records/contacts.partner', { name: 'Globex' });
  const lead = await api('POST', '/api/records/crm.lead', { name: 'Globex rollout', customer: customer.id });
  const stages = (await api('GET', '/api/records/crm.stage?limit=50')).data as { id: string; name: string }[];
  await api('PATCH', `/api/records/crm.lead/${lead.id}`, { stage: stages.find((s) => s.name === 'Won')!.id });

  const projects = (await api('GET', '/api/records/projects.project?limit=50')).data as { name: string; customer: { id: string } }[];
  t.match(projects, [{ name: 'Globex rollout', customer: { id: customer.id } }], 'exactly one project, for the customer');

  const row = page.locator('[data-testid="automation"]', { hasText: 'Won lead → project' });
  await row.locator('summary').click();
  await row.locator('[data-testid="run"]', { hasText: 'Done' }).waitFor();
  t.pass('the run log shows the run');

  const list = await app.open(admin, '/v/projects.project_list');
  t.teardown(() => list.context.close());
  await list.page.getByText('Globex rollout').first().waitFor();
  t.pass('the project is in the projects list');
});

t.test('a failing automation shows its error in the run log; a bad one is refused with the field named', async (t) => {
  const { page, context } = await app.open(admin, '/admin/automations');
  t.teardown(() => context.close());
  await page.locator('[data-testid="new-automation"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('[name="name"]').fill('Broken');
  await dialog.locator('[name="model"]').selectOption('crm.lead');
  await dialog.locator('[name="action-values"]').fill('{"nope": 1}');
  await dialog.locator('[data-testid="save-automation"]').click();
  await dialog.locator('.field-error', { hasText: 'actions.0.values.nope' }).waitFor();
  await dialog.locator('[name="action-type"]').selectOption('create');
  await dialog.locator('[name="action-model"]').selectOption('projects.project');
  await dialog.locator('[name="action-values"]').fill('{"name": {"$field": "contact_name"}}');
  await dialog.locator('[data-testid="save-automation"]').click();
  await page.locator('[data-testid="automation"]', { hasText: 'Broken' }).waitFor();
  const created = await admin.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'No contact' } });
  t.equal(created.statusCode, 201, 'the user’s write succeeds');
  const row = page.locator('[data-testid="automation"]', { hasText: 'Broken' });
  await row.locator('summary').click();
  await row.locator('[data-testid="run"]', { hasText: 'Failed' }).waitFor();
  t.match(await row.locator('[data-testid="run"]').first().textContent(), /Failed\s*Name must be text/, 'with the error');
});
