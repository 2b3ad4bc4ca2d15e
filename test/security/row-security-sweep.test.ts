import t from 'tap';
import Stripe from 'stripe';
import { RUNTIME_ROLE, ident, sql } from '@atrium/core/testing';
import { startPlatformApp, sweptModels } from './platform-registry.ts';
import { seedTenant } from './seed-tenant.ts';
import { ownRecordsRolePermissions, userWithRole } from './sweep-roles.ts';
import { rawConnection, tenantTables } from './tenant-tables.ts';
import { call } from '../../core/test/helpers.ts';

/*
 * Row-level security alone, on a database this file migrates itself (not the run's shared template), so
 * what is checked is what the migrations and the policy code produce today. SQL that names no tenant at
 * all, run as the runtime role, must see and write only the tenant set in the transaction — on every
 * table that holds tenant rows, found in the catalogue. The engine's own transactions are checked the
 * same way: they must switch to the runtime role and set the tenant. (isolation-sweep-app-filter.test.ts
 * proves the other layer alone.)
 */
const started = new Date();
const OPERATOR = { email: 'ops@example.com', password: 'operator password' };
const WEBHOOK_SECRET = 'whsec_sweep';
const app = await startPlatformApp({
  freshSchema: true,
  operator: OPERATOR,
  billing: { stripeSecretKey: 'sk_test_offline', stripeWebhookSecret: WEBHOOK_SECRET, prices: {} },
});
t.teardown(() => app.close());
const { db, registry } = app.app.platform;
const A = await seedTenant(app, await app.signup('Tenant A'), 'alpha', 1);
const B = await seedTenant(app, await app.signup('Tenant B'), 'bravo', 1);
// Seeding defines custom fields (core_custom_fields). Tenant roles and their members fill core_roles and core_user_roles too.
await userWithRole(app, A.admin, 'own_records', ownRecordsRolePermissions(registry));
await userWithRole(app, B.admin, 'own_records', ownRecordsRolePermissions(registry));
// A favourite and a column choice fill core_saved_filters and core_view_settings.
const listView = [...registry.views.values()].find((v) => v.type === 'list' && v.columns)!;
for (const admin of [A.admin, B.admin]) {
  const saved = await call(admin, 'POST', '/api/saved-filters', { view: listView.id, name: 'Shared', state: {}, shared: true });
  const columns = await call(admin, 'PUT', `/api/view-settings/${listView.id}`, { columns: listView.columns!.slice(0, 1) });
  if (saved.status !== 201 || columns.status !== 200) throw new Error(`favourites: ${saved.status} ${columns.status}`);
}
// A lead assigned to a colleague fills core_notifications, and through the kanban triggers core_group_totals.
for (const admin of [A.admin, B.admin]) {
  const colleague = await app.addUser(admin, ['user']);
  const lead = await call(admin, 'POST', '/api/records/crm.lead', { name: 'Assigned', salesperson: colleague.user.id });
  if (lead.status !== 201) throw new Error(`assigning a lead: ${lead.status} ${JSON.stringify(lead.body)}`);
}
// A view patch of the tenant's own fills core_view_patches: a list view shows a field it did not.
const unlisted = Object.keys(registry.model(listView.model)!.fields).find((f) => !listView.columns!.includes(f))!;
for (const admin of [A.admin, B.admin]) {
  const patched = await call(admin, 'PUT', `/api/admin/views/${listView.id}`, { patches: [{ columns: [unlisted] }] });
  if (patched.status !== 200) throw new Error(`view patch: ${patched.status} ${JSON.stringify(patched.body)}`);
}
// A partner's chatter fills core_messages, core_attachments, core_followers (its creator) and core_activities.
for (const admin of [A.admin, B.admin]) {
  const partner = await call(admin, 'POST', '/api/records/contacts.partner', { name: 'Chatter partner' });
  const url = `/api/records/contacts.partner/${partner.body.id}`;
  const file = await admin.request({
    method: 'POST',
    url: `${url}/attachments?name=a.txt`,
    payload: 'notes',
    headers: { 'content-type': 'text/plain' },
  });
  const message = await call(admin, 'POST', `${url}/messages`, { body: 'Hello', kind: 'message', attachments: [file.json().id] });
  const activity = await call(admin, 'POST', `${url}/activities`, {
    type: 'call',
    summary: 'Call',
    due: '2030-01-01',
    assigned_to: admin.user.id,
  });
  if (message.status !== 201 || activity.status !== 201) throw new Error(`chatter: ${message.status} ${activity.status}`);
}
// A quotation sent to its customer fills core_mails (kept for the mail catcher: no SMTP here).
for (const admin of [A.admin, B.admin]) {
  const customer = await call(admin, 'POST', '/api/records/contacts.partner', { name: 'Mail customer', email: 'buyer@example.com' });
  const quotation = await call(admin, 'POST', '/api/records/quotations.quotation', { customer: customer.body.id, lines: [] });
  const sent = await call(admin, 'POST', `/api/records/quotations.quotation/${quotation.body.id}/actions/send`);
  if (sent.status !== 200) throw new Error(`sending a quotation: ${sent.status} ${JSON.stringify(sent.body)}`);
}
// Automations fill core_automations and their run log; a webhook (to a name that never resolves: it stays pending) fills
// core_webhook_deliveries, a time trigger far in the future core_automation_jobs.
for (const admin of [A.admin, B.admin]) {
  const hook = await call(admin, 'POST', '/api/admin/automations', {
    ...{ name: 'Sweep', model: 'crm.lead', trigger: { on: 'create' } },
    actions: [{ type: 'webhook', url: 'http://hooks.invalid/sweep', secret: 'sweep secret' }],
  });
  const later = await call(admin, 'POST', '/api/admin/automations', {
    ...{ name: 'Sweep later', model: 'crm.lead', trigger: { on: 'time', field: 'deadline', offset_days: 3650 } },
    actions: [{ type: 'set', values: { priority: '3' } }],
  });
  const lead = await call(admin, 'POST', '/api/records/crm.lead', { name: 'Swept lead', deadline: '2030-01-01' });
  if (hook.status !== 201 || later.status !== 201 || lead.status !== 201)
    throw new Error(`automations: ${hook.status} ${later.status} ${lead.status} ${JSON.stringify(lead.body)}`);
}
// An operator's export of each tenant fills core_operator_audit.
const operator = (await app.app.inject({ method: 'POST', url: '/api/operator/login', payload: OPERATOR })).json().token;
for (const admin of [A.admin, B.admin]) {
  const exported = await app.app.inject({
    method: 'GET',
    url: `/api/operator/tenants/${admin.tenant.id}/export`,
    headers: { authorization: `Bearer ${operator}` },
  });
  if (exported.statusCode !== 200) throw new Error(`an operator's export: ${exported.statusCode}`);
}
// A Stripe event about each tenant (signed offline) fills core_billing_events.
const stripe = new Stripe('sk_test_offline');
for (const admin of [A.admin, B.admin]) {
  const payload = JSON.stringify({
    id: `evt_sweep_${admin.tenant.id}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: { object: { object: 'checkout.session', client_reference_id: admin.tenant.id, customer: `cus_${admin.tenant.id}` } },
  });
  const delivered = await app.app.inject({
    method: 'POST',
    url: '/api/billing/webhook',
    payload,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    },
  });
  if (delivered.json().outcome !== 'customer') throw new Error(`a billing event: ${delivered.body}`);
}
const a = A.admin.tenant.id;
const b = B.admin.tenant.id;
const tables = await tenantTables(app);
const raw = await rawConnection(app);
t.teardown(() => raw.close());

const count = async (result: Promise<{ rows: { n: number | string }[] }>): Promise<number> => Number((await result).rows[0].n);

t.test('this database was migrated by this run, not copied from a template', async (t) => {
  const [{ first }] = await db.system<{ first: Date }>(sql`SELECT min(applied_at) AS first FROM core_migrations`);
  t.ok(first >= started, `the first migration ran at ${first.toISOString()}, after this file started at ${started.toISOString()}`);
});

t.test('every table with tenant rows has forced row-level security and the tenant policy; the runtime role bypasses nothing', async (t) => {
  const moduleTables = sweptModels(registry)
    .filter((m) => !m.system)
    .flatMap((m) => [m.table, ...Object.values(m.fields).flatMap((f) => (f.relTable ? [f.relTable] : []))]);
  t.same(
    moduleTables.filter((name) => !tables.some((table) => table.name === name)),
    [],
    'every module table (and join table) has a tenant column',
  );
  const { rows } = await raw.asOwner(`SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
      EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation' AND p.cmd = 'ALL') AS policy,
      pg_get_userbyid(c.relowner) <> '${RUNTIME_ROLE}' AS not_owned
    FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY('{${tables.map((x) => x.name).join(',')}}'::text[])`);
  t.equal(rows.length, tables.length);
  for (const row of rows) t.same(row, { name: row.name, enabled: true, forced: true, policy: true, not_owned: true }, row.name);
  const [role] = (await raw.asOwner(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}'`)).rows;
  t.same(role, { rolsuper: false, rolbypassrls: false });
});

t.test('both tenants have rows in every table (the checks below would otherwise prove nothing)', async (t) => {
  for (const table of tables) {
    for (const [name, tenant] of [
      ['A', a],
      ['B', b],
    ]) {
      t.ok(
        (await count(raw.asOwner(`SELECT count(*) AS n FROM ${table.name} WHERE ${table.tenantColumn} = '${tenant}'`))) > 0,
        `${table.name}: ${name} has rows`,
      );
    }
  }
});

t.test("raw SQL as the runtime role, inside tenant B, reads none of A's rows and sees B's all", async (t) => {
  for (const table of tables) {
    const column = table.tenantColumn;
    t.equal(
      await count(raw.asRuntimeRole(b, `SELECT count(*) AS n FROM ${table.name} WHERE ${column} <> '${b}'`)),
      0,
      `${table.name}: nothing of another tenant`,
    );
    t.equal(
      await count(raw.asRuntimeRole(b, `SELECT count(*) AS n FROM ${table.name}`)),
      await count(raw.asOwner(`SELECT count(*) AS n FROM ${table.name} WHERE ${column} = '${b}'`)),
      `${table.name}: every row of B`,
    );
    t.equal(await count(raw.asRuntimeRole(null, `SELECT count(*) AS n FROM ${table.name}`)), 0, `${table.name}: no tenant set, no row`);
  }
});

t.test("raw SQL as the runtime role, inside tenant B, changes none of A's rows and cannot write into A", async (t) => {
  for (const table of tables) {
    const column = table.tenantColumn;
    const may = async (privilege: string): Promise<boolean> =>
      (await raw.asOwner(`SELECT has_table_privilege('${RUNTIME_ROLE}', '${table.name}', '${privilege}') AS ok`)).rows[0].ok;
    const mayColumn = async (name: string, privilege: string): Promise<boolean> =>
      (await raw.asOwner(`SELECT has_column_privilege('${RUNTIME_ROLE}', '${table.name}', '${name}', '${privilege}') AS ok`)).rows[0].ok;
    const target = column === 'id' ? 'name' : 'tenant_id';
    if (await mayColumn(target, 'UPDATE')) {
      t.equal(
        (await raw.asRuntimeRole(b, `UPDATE ${table.name} SET ${target} = ${target} WHERE ${column} = '${a}'`)).rowCount,
        0,
        `${table.name}: updates none of A's rows`,
      );
    }
    if (await may('DELETE')) {
      t.equal(
        (await raw.asRuntimeRole(b, `DELETE FROM ${table.name} WHERE ${column} = '${a}'`)).rowCount,
        0,
        `${table.name}: deletes none of A's rows`,
      );
    }
    if ((await may('INSERT')) && (await may('SELECT'))) {
      // One of B's own rows, given A's tenant (and a new id): the policy's WITH CHECK refuses it before any other constraint.
      const moved = `to_jsonb(x) || jsonb_build_object('${column}', '${a}'::uuid)${column === 'tenant_id' ? ` || CASE WHEN to_jsonb(x) ? 'id' THEN jsonb_build_object('id', gen_random_uuid()) ELSE '{}' END` : ''}`;
      await t.rejects(
        raw.asRuntimeRole(
          b,
          `INSERT INTO ${table.name} SELECT (jsonb_populate_record(NULL::${table.name}, ${moved})).* FROM ${table.name} x LIMIT 1`,
        ),
        /row-level security/,
        `${table.name}: a row for A is refused`,
      );
    }
  }
  for (const table of tables) {
    t.ok(
      (await count(raw.asOwner(`SELECT count(*) AS n FROM ${table.name} WHERE ${table.tenantColumn} = '${a}'`))) > 0,
      `${table.name}: A's rows are still there`,
    );
  }
});

t.test("the engine's own tenant transactions run as the runtime role: SQL naming no tenant sees only theirs", async (t) => {
  for (const table of tables) {
    const column = ident(table.tenantColumn);
    const [inB] = await db.transaction(b, (tx) =>
      tx.rows<{ n: number; role: string }>(
        sql`SELECT count(*)::int AS n, current_user AS role FROM ${ident(table.name)} WHERE ${column} <> ${b}::uuid`,
      ),
    );
    t.same(inB, { n: 0, role: RUNTIME_ROLE }, `${table.name}: inside B, as ${RUNTIME_ROLE}, nothing of another tenant`);
    const [none] = await db.batch(null, [sql`SELECT count(*)::int AS n FROM ${ident(table.name)}`]);
    t.equal(none.rows[0].n, 0, `${table.name}: with no tenant, nothing`);
  }
});
