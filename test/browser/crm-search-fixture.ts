import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startBrowserApp } from './browser-harness.ts';
import { post } from './sales-fixture.ts';

/**
 * The shipped CRM with leads to find (issue 19, "Search and lists"): Azure Interior's two, Deco Addict's
 * three (one of them a colleague's, one lost), so that a search by customer, the filter groups and grouping
 * have something to tell apart. Closed with the test file.
 */
export async function crmSearchApp() {
  const app = await startBrowserApp({
    modules: ['contacts', 'crm'],
    modulesDir: join(fileURLToPath(new URL('../..', import.meta.url)), 'modules'),
  });
  t.teardown(() => app.close());

  const admin = await app.testApp.signup('Acme Robotics');
  const colleague = await app.testApp.addUser(admin, ['user'], 'Carla Colleague');
  const azure = await post(admin, 'contacts.partner', { name: 'Azure Interior', is_company: true });
  const deco = await post(admin, 'contacts.partner', { name: 'Deco Addict', is_company: true });
  await post(admin, 'crm.lead', { name: 'Office chairs', customer: azure.id, expected_revenue: '1200.00' });
  await post(admin, 'crm.lead', { name: 'Desk renewal', customer: azure.id, expected_revenue: '5400.50' });
  await post(admin, 'crm.lead', { name: 'Lamps', customer: deco.id, expected_revenue: '300.00' });
  await post(colleague, 'crm.lead', { name: 'Carla lead', customer: deco.id, expected_revenue: '99.00' });
  const lostLead = await post(admin, 'crm.lead', { name: 'Storage units', customer: deco.id, expected_revenue: '450.00' });
  const reasons = (await admin.request({ method: 'GET', url: '/api/records/crm.lost_reason' })).json().data;
  const lost = await admin.request({
    method: 'POST',
    url: `/api/records/crm.lead/${lostLead.id}/actions/mark_lost`,
    payload: { lost_reason: reasons[0].id },
  });
  if (lost.statusCode !== 200) throw new Error(lost.body);
  return { app, admin, colleague, azure, deco };
}
