import t from 'tap';
import { call, q, startAutomationsApp, stages, WON_TO_PROJECT, type Json } from './support.ts';

t.setTimeout(300_000); // seven scenarios on a shared machine
const app = await startAutomationsApp();
t.teardown(() => app.close());
const admin = await app.signup('Automated Ltd');
const stage = await stages(admin);
const partner = (await call(admin, 'POST', '/api/records/contacts.partner', { name: 'Acme Corp' })).body;

const create = async (body: object) => {
  const created = await call(admin, 'POST', '/api/admin/automations', body);
  if (created.status !== 201) throw new Error(`${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
};
const runs = async (id: string) => (await call(admin, 'GET', `/api/admin/automations/${id}/runs`)).body.data as Json[];
const projects = async (name: string) =>
  (await call(admin, 'GET', `/api/records/projects.project?filter=${q({ name })}`)).body.data as Json[];

t.test('the shipped example: a lead reaching Won creates one project named after it, for its customer', async (t) => {
  const automation = await create(WON_TO_PROJECT);
  t.match(automation, { name: WON_TO_PROJECT.name, model: 'crm.lead', active: true, trigger: WON_TO_PROJECT.trigger });
  const lead = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Big deal', customer: partner.id })).body;
  t.equal((await projects('Big deal')).length, 0, 'nothing while the lead is open');
  const won = await call(admin, 'PATCH', `/api/records/crm.lead/${lead.id}`, { stage: stage.Won });
  t.equal(won.status, 200);
  const [project, ...more] = await projects('Big deal');
  t.equal(more.length, 0, 'exactly one project');
  t.equal(project.customer.id, partner.id, 'for the lead’s customer');
  // The same stage again, and another field: no change of stage, no second project.
  await call(admin, 'PATCH', `/api/records/crm.lead/${lead.id}`, { stage: stage.Won });
  await call(admin, 'PATCH', `/api/records/crm.lead/${lead.id}`, { description: 'signed' });
  t.equal((await projects('Big deal')).length, 1, 'still one project');
  t.match(await runs(automation.id), [{ record_id: lead.id, status: 'done' }]);
  t.equal((await runs(automation.id)).length, 1);
  // A lead moving to another stage: the condition is not met.
  const other = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Small deal' })).body;
  await call(admin, 'PATCH', `/api/records/crm.lead/${other.id}`, { stage: stage.Qualifying });
  t.equal((await projects('Small deal')).length, 0);
  t.equal((await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`)).status, 204);
});

t.test('set runs inside the write’s transaction: the answer and the event carry it', async (t) => {
  const automation = await create({
    name: 'New leads are urgent',
    model: 'crm.lead',
    trigger: { on: 'create', when: { expected_revenue: { $gte: '1000' } } },
    actions: [{ type: 'set', values: { priority: '3', description: 'big one' } }],
  });
  const big = await call(admin, 'POST', '/api/records/crm.lead', { name: 'Huge', expected_revenue: '5000.00' });
  t.equal(big.status, 201);
  t.match(big.body, { priority: '3', description: 'big one' }, 'the write’s own answer shows the automation’s values');
  const small = await call(admin, 'POST', '/api/records/crm.lead', { name: 'Tiny', expected_revenue: '10.00' });
  t.equal(small.body.priority, '0', 'the condition is judged on the record');
  const history = await call(admin, 'GET', `/api/records/crm.lead/${big.body.id}/history`);
  t.ok(JSON.stringify(history.body).includes('big one'), 'the change is in the record’s history');
  await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`);
});

t.test('a failing automation leaves the user’s write alone and says why in its run log', async (t) => {
  const automation = await create({
    name: 'Project from contact name',
    model: 'crm.lead',
    trigger: { on: 'create' },
    actions: [
      { type: 'set', values: { description: 'touched' } },
      { type: 'create', model: 'projects.project', values: { name: { $field: 'contact_name' } } },
    ],
  });
  const lead = await call(admin, 'POST', '/api/records/crm.lead', { name: 'No contact' });
  t.equal(lead.status, 201, 'the write succeeds');
  t.equal(lead.body.description, null, 'the failed automation’s set is undone with it');
  const [run] = await runs(automation.id);
  t.match(run, { record_id: lead.body.id, status: 'failed', error: /name/i });
  await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`);
});

t.test('automations triggering each other stop at 5 levels', async (t) => {
  const ping = await create({
    name: 'ping',
    model: 'crm.lead',
    trigger: { on: 'update', fields: ['priority'], when: { priority: '1' } },
    actions: [{ type: 'set', values: { priority: '2' } }],
  });
  const pong = await create({
    name: 'pong',
    model: 'crm.lead',
    trigger: { on: 'update', fields: ['priority'], when: { priority: '2' } },
    actions: [{ type: 'set', values: { priority: '1' } }],
  });
  const lead = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Ping pong' })).body;
  const patched = await call(admin, 'PATCH', `/api/records/crm.lead/${lead.id}`, { priority: '1' });
  t.equal(patched.status, 200, 'the write succeeds');
  const all = [...(await runs(ping.id)), ...(await runs(pong.id))].sort((a, b) => a.depth - b.depth);
  t.same(
    all.map((r) => [r.depth, r.status]),
    [
      [1, 'done'],
      [2, 'done'],
      [3, 'done'],
      [4, 'done'],
      [5, 'done'],
      [6, 'skipped'],
    ],
  );
  t.match(all.at(-1), { error: /5 levels/ });
  // Five levels ran: ping, pong, ping, pong, ping: the lead ends at "2".
  t.equal((await call(admin, 'GET', `/api/records/crm.lead/${lead.id}`)).body.priority, '2');
  await call(admin, 'DELETE', `/api/admin/automations/${ping.id}`);
  await call(admin, 'DELETE', `/api/admin/automations/${pong.id}`);
});

t.test('delete triggers see the record as it was; email goes through the mail outbox', async (t) => {
  const automation = await create({
    name: 'Tell sales',
    model: 'crm.lead',
    trigger: { on: 'delete', when: { priority: '3' } },
    actions: [
      { type: 'email', to: ['sales@automated.example', { $field: 'email' }], subject: 'Lead {{name}} deleted', body: 'Gone: {{name}}' },
    ],
  });
  const lead = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Doomed', priority: '3', email: 'buyer@doomed.example' })).body;
  t.equal((await call(admin, 'DELETE', `/api/records/crm.lead/${lead.id}`)).status, 204);
  const mails = (await call(admin, 'GET', '/api/admin/mails')).body.data as Json[];
  const mail = mails.find((m) => m.subject === 'Lead Doomed deleted');
  t.match(mail, { recipients: ['sales@automated.example', 'buyer@doomed.example'], body: 'Gone: Doomed', record_id: lead.id });
  t.match(await runs(automation.id), [{ status: 'done', record_id: lead.id }]);
  await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`);
});

t.test('note and activity: written in the chatter of the triggering record, by the system', async (t) => {
  const seller = await app.addUser(admin, ['user'], 'Sally Seller');
  const automation = await create({
    name: 'Welcome a lead',
    model: 'crm.lead',
    trigger: { on: 'create' },
    actions: [
      { type: 'note', body: 'New lead {{name}}: call within two days' },
      {
        type: 'activity',
        activity_type: 'call',
        summary: 'First call to {{name}}',
        due_in_days: 2,
        assigned_to: { $field: 'salesperson' },
      },
    ],
  });
  const lead = (await call(seller, 'POST', '/api/records/crm.lead', { name: 'Chatty' })).body;
  const timeline = (await call(seller, 'GET', `/api/records/crm.lead/${lead.id}/messages`)).body.data as Json[];
  const note = timeline.find((e) => e.kind === 'note');
  t.match(note, { body: 'New lead Chatty: call within two days' }, 'the note, its fields filled');
  t.equal(note?.author ?? null, null, 'written by the system, not by the user');
  const due = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const activities = (await call(seller, 'GET', `/api/records/crm.lead/${lead.id}/activities`)).body.data as Json[];
  t.match(activities, [{ type: 'call', summary: 'First call to Chatty', due }], 'the activity, due in two days');
  t.equal(activities[0].assigned_to.id, seller.user.id, 'for the lead’s salesperson');
  const inbox = (await call(seller, 'GET', '/api/notifications')).body;
  t.match(
    inbox.data,
    [
      {
        kind: 'activity',
        actor: null,
        body: 'First call to Chatty',
        record: { id: lead.id },
        title: 'Atrium scheduled an activity for you on Lead Chatty',
      },
    ],
    'the salesperson is notified, as when a user schedules it',
  );
  t.match(await runs(automation.id), [{ status: 'done', record_id: lead.id }]);
  await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`);
});

t.test('a note an automation writes notifies whom it mentions, as the system', async (t) => {
  const watcher = await app.addUser(admin, ['user'], 'Wanda Watcher');
  const automation = await create({
    name: 'Tell Wanda',
    model: 'crm.lead',
    trigger: { on: 'create' },
    actions: [{ type: 'note', body: `@[Wanda Watcher](user:${watcher.user.id}): new lead {{name}}` }],
  });
  const lead = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Noted' })).body;
  const inbox = (await call(watcher, 'GET', '/api/notifications')).body;
  t.match(inbox, { unread: 1, data: [{ kind: 'mention', actor: null, body: '@Wanda Watcher: new lead Noted', record: { id: lead.id } }] });
  await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`);
});

t.test('bad automations are 400s naming the field', async (t) => {
  const base = { name: 'x', model: 'crm.lead', trigger: { on: 'create' }, actions: [{ type: 'set', values: { priority: '1' } }] };
  const cases: [object, string][] = [
    [{ ...base, name: '' }, 'name'],
    [{ ...base, model: 'nope.model' }, 'model'],
    [{ ...base, model: 'core.user' }, 'model'],
    [{ ...base, trigger: { on: 'sometimes' } }, 'trigger.on'],
    [{ ...base, trigger: { on: 'update', fields: ['nope'] } }, 'trigger.fields.0'],
    [{ ...base, trigger: { on: 'create', when: { nope: 1 } } }, 'trigger.when.nope'],
    [{ ...base, trigger: { on: 'time', field: 'name' } }, 'trigger.field'],
    [{ ...base, trigger: { on: 'time', field: 'deadline', offset_days: 1.5 } }, 'trigger.offset_days'],
    [{ ...base, actions: [] }, 'actions'],
    [{ ...base, actions: [{ type: 'teleport' }] }, 'actions.0.type'],
    [{ ...base, actions: [{ type: 'set', values: { priority: '9' } }] }, 'actions.0.values.priority'],
    [{ ...base, actions: [{ type: 'create', model: 'projects.project', values: { nope: 1 } }] }, 'actions.0.values.nope'],
    [{ ...base, actions: [{ type: 'create', model: 'projects.project', values: { name: { $field: 'nope' } } }] }, 'actions.0.values.name'],
    [{ ...base, actions: [{ type: 'webhook', url: 'ftp://x', secret: 'long enough' }] }, 'actions.0.url'],
    [{ ...base, actions: [{ type: 'webhook', url: 'http://x.example', secret: 'short' }] }, 'actions.0.secret'],
    [{ ...base, actions: [{ type: 'email', to: ['a@b.example'], subject: '', body: 'x' }] }, 'actions.0.subject'],
    [{ ...base, trigger: { on: 'delete' } }, 'actions.0.type'],
    [{ ...base, model: 'crm.stage', actions: [{ type: 'note', body: 'x' }] }, 'actions.0.type'],
    [{ ...base, actions: [{ type: 'note', body: '' }] }, 'actions.0.body'],
    [
      { ...base, actions: [{ type: 'activity', activity_type: 'nap', summary: 'x', assigned_to: { $field: 'salesperson' } }] },
      'actions.0.activity_type',
    ],
    [
      { ...base, actions: [{ type: 'activity', activity_type: 'call', summary: 'x', assigned_to: { $field: 'name' } }] },
      'actions.0.assigned_to',
    ],
    [
      { ...base, actions: [{ type: 'activity', activity_type: 'call', summary: '', assigned_to: { $field: 'salesperson' } }] },
      'actions.0.summary',
    ],
    [{ ...base, extra: 1 }, 'extra'],
  ];
  for (const [body, field] of cases) {
    const answer = await call(admin, 'POST', '/api/admin/automations', body);
    t.equal(answer.status, 400, `${field}: ${JSON.stringify(answer.body)}`);
    t.ok(
      (answer.body.error.details ?? []).some((d: Json) => d.field === field),
      `${field} is named: ${JSON.stringify(answer.body.error.details)}`,
    );
  }
  t.equal((await call(admin, 'GET', '/api/admin/automations')).body.data.length, 0, 'nothing was saved');
  const saved = await create(base);
  const patched = await call(admin, 'PATCH', `/api/admin/automations/${saved.id}`, { active: false, name: 'renamed' });
  t.match(patched, { status: 200, body: { active: false, name: 'renamed', model: 'crm.lead' } });
  t.equal((await call(admin, 'PATCH', `/api/admin/automations/${saved.id}`, { trigger: { on: 'x' } })).status, 400);
  t.equal((await call(admin, 'PATCH', '/api/admin/automations/not-a-uuid', { active: true })).status, 404);
  await call(admin, 'DELETE', `/api/admin/automations/${saved.id}`);
  t.equal((await call(admin, 'DELETE', `/api/admin/automations/${saved.id}`)).status, 404);
});

t.test('admins only; another tenant neither sees nor triggers them', async (t) => {
  const automation = await create({
    name: 'Mine',
    model: 'crm.lead',
    trigger: { on: 'create' },
    actions: [{ type: 'set', values: { description: 'automated' } }],
  });
  const user = await app.addUser(admin, ['user']);
  for (const [method, url] of [
    ['GET', '/api/admin/automations'],
    ['POST', '/api/admin/automations'],
    ['PATCH', `/api/admin/automations/${automation.id}`],
    ['DELETE', `/api/admin/automations/${automation.id}`],
    ['GET', `/api/admin/automations/${automation.id}/runs`],
    ['GET', '/api/admin/automations/deliveries'],
  ])
    t.equal((await call(user, method, url, method === 'GET' || method === 'DELETE' ? undefined : {})).status, 403, `${method} ${url}`);
  const other = await app.signup('Other Ltd');
  t.same((await call(other, 'GET', '/api/admin/automations')).body.data, []);
  t.equal((await call(other, 'GET', `/api/admin/automations/${automation.id}/runs`)).status, 404);
  t.equal((await call(other, 'PATCH', `/api/admin/automations/${automation.id}`, { active: false })).status, 404);
  t.equal((await call(other, 'DELETE', `/api/admin/automations/${automation.id}`)).status, 404);
  const theirs = await call(other, 'POST', '/api/records/crm.lead', { name: 'Theirs' });
  t.equal(theirs.body.description, null, 'another tenant’s write triggers nothing');
  const mine = await call(user, 'POST', '/api/records/crm.lead', { name: 'Mine' });
  t.equal(mine.body.description, 'automated', 'a user’s write triggers the tenant’s automations, run as the system');
  t.equal((await runs(automation.id)).length, 1);
  await call(admin, 'DELETE', `/api/admin/automations/${automation.id}`);
});
