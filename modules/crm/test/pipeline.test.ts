import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const user = await app.addUser(admin, ['user'], 'Sally Sales');

type Stage = { id: string; name: string };
const stages: Record<string, Stage> = Object.fromEntries(
  (await admin.request({ method: 'GET', url: '/api/records/crm.stage' })).json().data.map((s: Stage) => [s.name, s]),
);
const [lostReason] = (await admin.request({ method: 'GET', url: '/api/records/crm.lost_reason' })).json().data;
const customer = (
  await user.request({ method: 'POST', url: '/api/records/contacts.partner', payload: { name: 'Acme', is_company: true } })
).json();

const createLead = async (payload: object) => {
  const response = await user.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'Lead', ...payload } });
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
};
const action = (id: string, name: string, payload?: object) =>
  user.request({ method: 'POST', url: `/api/records/crm.lead/${id}/actions/${name}`, ...(payload ? { payload } : {}) });

t.test('a quick-created lead starts in the first stage, owned by its creator, at low priority', async (t) => {
  const lead = await createLead({ name: 'Chairs' });
  t.same(lead.stage, { id: stages.New.id, display: 'New' });
  t.same(lead.salesperson, { id: user.user.id, display: 'Sally Sales' });
  t.equal(lead.priority, '0');
  t.equal(lead.archived, false);
});

t.test('a won stage forces the probability to 100, on create, on a move and on an edit', async (t) => {
  const created = await createLead({ stage: stages.Won.id, probability: 30 });
  t.equal(created.probability, 100);
  t.match(created.closed_on, /^\d{4}-\d{2}-\d{2}$/);
  const lead = await createLead({ probability: 20, customer: customer.id, expected_revenue: '1500.50' });
  const moved = await user.request({ method: 'PATCH', url: `/api/records/crm.lead/${lead.id}`, payload: { stage: stages.Won.id } });
  t.equal(moved.json().probability, 100);
  const edited = await user.request({ method: 'PATCH', url: `/api/records/crm.lead/${lead.id}`, payload: { probability: 50 } });
  t.equal(edited.json().probability, 100);
  const back = await user.request({
    method: 'PATCH',
    url: `/api/records/crm.lead/${lead.id}`,
    payload: { stage: stages.Proposition.id, probability: 60 },
  });
  t.match(back.json(), { probability: 60, closed_on: null });
});

t.test('mark_won moves the lead to the won stage', async (t) => {
  const lead = await createLead({ probability: 40 });
  const won = await action(lead.id, 'mark_won');
  t.equal(won.statusCode, 200);
  t.match(won.json(), { stage: { id: stages.Won.id }, probability: 100, version: 2 });
  t.equal((await action(lead.id, 'mark_won')).statusCode, 409, 'a won lead cannot be won again');
});

t.test('mark_lost needs a lost reason, then archives the lead; restore brings it back', async (t) => {
  const lead = await createLead({ probability: 40 });
  const noReason = await action(lead.id, 'mark_lost', {});
  t.equal(noReason.statusCode, 400);
  t.match(noReason.json().error.details, [{ field: 'lost_reason', rule: 'required' }]);
  const lost = await action(lead.id, 'mark_lost', { lost_reason: lostReason.id });
  t.equal(lost.statusCode, 200);
  t.match(lost.json(), { archived: true, probability: 0, lost_reason: { id: lostReason.id, display: lostReason.name } });
  t.equal((await action(lead.id, 'mark_lost', { lost_reason: lostReason.id })).statusCode, 409, 'a lost lead cannot be lost again');
  const restored = await action(lead.id, 'restore');
  t.match(restored.json(), { archived: false, lost_reason: null, closed_on: null });
  const won = await createLead({ stage: stages.Won.id });
  t.match(
    (await action(won.id, 'mark_lost', { lost_reason: lostReason.id })).json(),
    { archived: true, probability: 0 },
    'a lead lost from the won stage is at 0 %',
  );
});

t.test('the lost reason is set by mark_lost only', async (t) => {
  const response = await user.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'X', lost_reason: lostReason.id } });
  t.equal(response.statusCode, 400);
  t.match(response.json().error.details, [{ field: 'lost_reason', rule: 'readonly' }]);
});

t.test('the kanban groups leads by stage with the expected revenue summed per column', async (t) => {
  const fresh = await app.signup();
  const freshStages: Stage[] = (await fresh.request({ method: 'GET', url: '/api/records/crm.stage' })).json().data;
  for (const [stage, revenue] of [
    [0, '100.10'],
    [0, '200.25'],
    [2, '1000.00'],
  ] as const) {
    await fresh.request({
      method: 'POST',
      url: '/api/records/crm.lead',
      payload: { name: 'L', stage: freshStages[stage].id, expected_revenue: revenue },
    });
  }
  const groups = await fresh.request({ method: 'GET', url: '/api/records/crm.lead/groups?by=stage&sum=expected_revenue' });
  const byLabel = Object.fromEntries(
    groups.json().data.map((g: { label: string; count: number; sum: string }) => [g.label, [g.count, g.sum]]),
  );
  t.same(byLabel, { New: [2, '300.35'], Proposition: [1, '1000.00'] });
  const meta = (await fresh.request({ method: 'GET', url: '/api/meta' })).json();
  t.match(meta.views['crm.lead_kanban'], {
    type: 'kanban',
    group_by: 'stage',
    sum: 'expected_revenue',
    quick_create: ['name', 'customer', 'expected_revenue', 'priority'],
  });
  t.same(
    meta.models['crm.lead'].actions.map((a: { name: string }) => a.name),
    ['mark_won', 'mark_lost', 'restore'],
  );
  t.match(meta.views['crm.lead_kanban'].filters, [
    { label: 'Open', default: true },
    { label: 'My pipeline', filter: { salesperson: '$user' } },
  ]);
});
