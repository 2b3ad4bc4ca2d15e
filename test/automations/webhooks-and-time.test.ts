import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { testDatabaseKind } from '@atrium/core/testing';
import { call, startAutomationsApp, until, type Json } from './support.ts';

/** A real webhook receiver: it keeps every request, and answers 500 to the first `failing` of each path. */
const received: { path: string; headers: IncomingHttpHeaders; body: string; status: number }[] = [];
const failing: Record<string, number> = { '/flaky': 2, '/down': Infinity };
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const path = request.url!;
    const seen = received.filter((r) => r.path === path).length;
    const status = seen < (failing[path] ?? 0) ? 500 : 200;
    received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
    response.writeHead(status).end();
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

t.setTimeout(300_000); // retries wait for their back-off (1 s, 2 s), on a shared machine
const app = await startAutomationsApp();
t.teardown(() => app.close());
const admin = await app.signup('Hooked Ltd');
const SECRET = 'a shared secret';

const automation = async (body: object) => {
  const created = await call(admin, 'POST', '/api/admin/automations', body);
  if (created.status !== 201) throw new Error(`${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
};
const deliveries = async (status?: string) =>
  (await call(admin, 'GET', `/api/admin/automations/deliveries${status ? `?status=${status}` : ''}`)).body.data as Json[];

t.test('a webhook receives signed deliveries, retried with back-off after failures', async (t) => {
  const hook = await automation({
    name: 'Tell the warehouse',
    model: 'crm.lead',
    trigger: { on: 'create' },
    actions: [{ type: 'webhook', url: `${base}/flaky`, secret: SECRET }],
  });
  const lead = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Hooked deal' })).body;
  const delivered = await until(() => received.find((r) => r.path === '/flaky' && r.status === 200), 'the third attempt to succeed');
  const attempts = received.filter((r) => r.path === '/flaky');
  t.same(
    attempts.map((r) => r.status),
    [500, 500, 200],
    'two refusals, then delivered',
  );
  t.ok(new Set(attempts.map((r) => r.body)).size === 1, 'every attempt carries the same body');
  const expected = `sha256=${createHmac('sha256', SECRET).update(delivered.body).digest('hex')}`;
  t.equal(delivered.headers['x-atrium-signature'], expected, 'signed with the secret: HMAC-SHA256 of the body');
  t.equal(delivered.headers['content-type'], 'application/json');
  const event = JSON.parse(delivered.body);
  t.match(event, { model: 'crm.lead', op: 'created', record_id: lead.id, record: { name: 'Hooked deal' }, automation: { id: hook.id } });
  const [row] = await until(async () => {
    const rows = await deliveries('delivered');
    return rows.length > 0 ? rows : undefined;
  }, 'the delivery marked delivered');
  t.match(row, { status: 'delivered', attempts: 3, url: `${base}/flaky`, record_id: lead.id, automation: 'Tell the warehouse' });
  t.match(await call(admin, 'GET', `/api/admin/automations/${hook.id}/runs`), { body: { data: [{ status: 'done', record_id: lead.id }] } });
  await call(admin, 'DELETE', `/api/admin/automations/${hook.id}`);
});

t.test('after the last attempt a delivery is dead, shown to the admin, and can be sent again', async (t) => {
  const hook = await automation({
    name: 'Tell nobody',
    model: 'crm.lead',
    trigger: { on: 'create' },
    actions: [{ type: 'webhook', url: `${base}/down`, secret: SECRET }],
  });
  await call(admin, 'POST', '/api/records/crm.lead', { name: 'Unheard deal' });
  const [dead] = await until(async () => {
    const rows = await deliveries('dead');
    return rows.length > 0 ? rows : undefined;
  }, 'a dead delivery');
  t.match(dead, { status: 'dead', attempts: 3, last_error: 'HTTP 500', url: `${base}/down` });
  t.equal(received.filter((r) => r.path === '/down').length, 3, 'three attempts (webhookMaxAttempts), no more');
  t.equal((await deliveries('pending')).length, 0);
  failing['/down'] = 0;
  t.match(await call(admin, 'POST', `/api/admin/automations/deliveries/${dead.id}/retry`), { status: 200, body: { status: 'pending' } });
  await until(() => received.find((r) => r.path === '/down' && r.status === 200), 'the retried delivery');
  t.equal((await call(admin, 'POST', `/api/admin/automations/deliveries/${dead.id}/retry`)).status, 404, 'only a dead delivery is retried');
  const other = await app.signup('Other Ltd');
  t.same((await call(other, 'GET', '/api/admin/automations/deliveries')).body.data, [], 'another tenant sees none');
  await call(admin, 'DELETE', `/api/admin/automations/${hook.id}`);
});

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

t.test('time-based: N days after a date field, exactly once even when several passes claim at once', async (t) => {
  const reminder = await automation({
    name: 'Overdue leads are urgent',
    model: 'crm.lead',
    trigger: { on: 'time', field: 'deadline', offset_days: 2, when: { archived: false } },
    actions: [{ type: 'set', values: { priority: '3' } }],
  });
  const overdue = [];
  for (let i = 0; i < 12; i++)
    overdue.push((await call(admin, 'POST', '/api/records/crm.lead', { name: `Overdue ${i}`, deadline: daysFromNow(-3) })).body);
  const later = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Later', deadline: daysFromNow(10) })).body;
  const archived = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Archived', deadline: daysFromNow(-5), archived: true }))
    .body;
  // Several passes at once on this node (the background one included): each job is claimed by one of them.
  const { timeJobs } = app.app.platform;
  await Promise.all([timeJobs.pass(), timeJobs.pass(), timeJobs.pass()]);
  const runs = await until(async () => {
    const data = (await call(admin, 'GET', `/api/admin/automations/${reminder.id}/runs`)).body.data as Json[];
    return data.length >= 13 ? data : undefined;
  }, 'the due jobs to run');
  await Promise.all([timeJobs.pass(), timeJobs.pass()]);
  const after = (await call(admin, 'GET', `/api/admin/automations/${reminder.id}/runs`)).body.data as Json[];
  t.equal(after.length, 13, 'each due job ran once');
  t.same(new Set(runs.map((r) => r.record_id)).size, 13, 'one run per record');
  for (const lead of overdue) t.equal((await call(admin, 'GET', `/api/records/crm.lead/${lead.id}`)).body.priority, '3');
  t.match(
    runs.find((r) => r.record_id === archived.id),
    { status: 'skipped', error: /condition/ },
    'the condition is judged when the time comes',
  );
  t.notOk(
    runs.some((r) => r.record_id === later.id),
    'a date still to come waits',
  );
  // Moving the date into the past arms the job again.
  await call(admin, 'PATCH', `/api/records/crm.lead/${later.id}`, { deadline: daysFromNow(-2) });
  await timeJobs.pass();
  t.equal((await call(admin, 'GET', `/api/records/crm.lead/${later.id}`)).body.priority, '3');
  await call(admin, 'DELETE', `/api/admin/automations/${reminder.id}`);
});

t.test("a time-based automation sees the tenant's custom fields, in its condition and its values", async (t) => {
  const field = await call(admin, 'POST', '/api/admin/custom-fields', {
    model: 'crm.lead',
    name: 'x_escalated',
    type: 'boolean',
    label: 'Escalated',
  });
  t.equal(field.status, 201);
  const escalate = await automation({
    name: 'Escalate late leads',
    model: 'crm.lead',
    trigger: { on: 'time', field: 'deadline', offset_days: 1, when: { x_escalated: false } },
    actions: [{ type: 'set', values: { x_escalated: true } }],
  });
  const lead = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Late', deadline: daysFromNow(-3) })).body;
  await app.app.platform.timeJobs.pass();
  const runs = await until(async () => {
    const data = (await call(admin, 'GET', `/api/admin/automations/${escalate.id}/runs`)).body.data as Json[];
    return data.length > 0 ? data : undefined;
  }, 'the job to run');
  t.match(runs, [{ record_id: lead.id, status: 'done' }]);
  t.equal((await call(admin, 'GET', `/api/records/crm.lead/${lead.id}`)).body.x_escalated, true);
  await call(admin, 'DELETE', `/api/admin/automations/${escalate.id}`);
});

t.test(
  'two nodes on one database (PostgreSQL): time jobs and the Won → project example run once',
  { skip: testDatabaseKind() !== 'postgresql' && 'PGlite is one process' },
  async (t) => {
    const { WON_TO_PROJECT, stages } = await import('./support.ts');
    const won = await automation(WON_TO_PROJECT);
    const reminder = await automation({
      name: 'Overdue (two nodes)',
      model: 'crm.lead',
      trigger: { on: 'time', field: 'deadline', offset_days: 0 },
      actions: [{ type: 'create', model: 'projects.project', values: { name: { $field: 'name' }, description: 'from a time job' } }],
    });
    const nodeB = await app.startNode();
    const asB = (method: string, url: string, payload?: object) =>
      nodeB.inject({ method: method as 'GET', url, payload, headers: { authorization: `Bearer ${admin.token}` } });
    const leads = [];
    for (let i = 0; i < 20; i++)
      leads.push((await call(admin, 'POST', '/api/records/crm.lead', { name: `Two nodes ${i}`, deadline: daysFromNow(-1) })).body);
    await Promise.all([
      app.app.platform.timeJobs.pass(),
      nodeB.platform.timeJobs.pass(),
      app.app.platform.timeJobs.pass(),
      nodeB.platform.timeJobs.pass(),
    ]);
    await until(async () => {
      const data = (await call(admin, 'GET', `/api/admin/automations/${reminder.id}/runs`)).body.data as Json[];
      return data.length >= 20 ? data : undefined;
    }, 'the jobs of both nodes');
    await Promise.all([app.app.platform.timeJobs.pass(), nodeB.platform.timeJobs.pass()]);
    const projects = (await call(admin, 'GET', '/api/records/projects.project?limit=200')).body.data as Json[];
    const fromJobs = projects.filter((p) => p.description === 'from a time job');
    t.equal(fromJobs.length, 20, 'one project per job, across the two nodes');
    t.equal(new Set(fromJobs.map((p) => p.name)).size, 20);
    // The same lead moved to Won at once through both nodes: one project.
    const stage = await stages(admin);
    const deal = (await call(admin, 'POST', '/api/records/crm.lead', { name: 'Contested deal' })).body;
    const answers = await Promise.all([
      call(admin, 'PATCH', `/api/records/crm.lead/${deal.id}`, { stage: stage.Won }),
      asB('PATCH', `/api/records/crm.lead/${deal.id}`, { stage: stage.Won }),
    ]);
    t.equal(answers[0].status, 200);
    t.equal(answers[1].statusCode, 200);
    const contested = (await call(admin, 'GET', `/api/records/projects.project?limit=200`)).body.data.filter(
      (p: Json) => p.name === 'Contested deal',
    );
    t.equal(contested.length, 1, 'exactly one project');
    await call(admin, 'DELETE', `/api/admin/automations/${won.id}`);
    await call(admin, 'DELETE', `/api/admin/automations/${reminder.id}`);
  },
);
