import t from 'tap';
import { sql, testDatabaseKind } from '../src/platform/testing/index.ts';
import { call, seedDeal, startFixtureApp } from './helpers.ts';
import { HandshakeRefused, TestSocket } from './socket-client.ts';

const OPERATOR = { email: 'ops@example.com', password: 'operator password' };
const testApp = await startFixtureApp({
  operator: OPERATOR,
  plans: { default: 'free', list: { free: { limits: { users: 2 } }, team: { limits: { users: 10 } } } },
});
t.teardown(() => testApp.close());
const { app } = testApp;
// A second node on the same database (PostgreSQL only): suspension must reach its sockets through the bus.
const nodeB = testDatabaseKind() === 'postgresql' ? await testApp.startNode() : undefined;

const operatorCall = async (token: string, method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) => {
  const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
};
const login = async (credentials: object) => app.inject({ method: 'POST', url: '/api/operator/login', payload: credentials });
const operatorToken: string = (await login(OPERATOR)).json().token;

const handshake = (promise: Promise<unknown>): Promise<number> =>
  promise.then(
    () => 0,
    (error: unknown) => (error instanceof HandshakeRefused ? error.status : -1),
  );

t.test('the operator signs in with the environment credentials only; no tenant token is an operator token', async (t) => {
  t.equal((await login({ ...OPERATOR, password: 'wrong password' })).statusCode, 401);
  t.equal((await login({ email: 'other@example.com', password: OPERATOR.password })).statusCode, 401);
  const admin = await testApp.signup('Tenant Admin Co');
  const asAdmin = await operatorCall(admin.token, 'GET', '/api/operator/tenants');
  t.equal(asAdmin.status, 401, "a tenant admin's token is refused");
  t.equal(asAdmin.body.error.code, 'unauthorized');
  t.equal((await call(admin, 'PATCH', `/api/operator/tenants/${admin.tenant.id}`, { status: 'suspended' })).status, 401);
  t.equal((await app.inject({ method: 'GET', url: '/api/operator/tenants' })).statusCode, 401, 'no token');
  t.equal((await operatorCall(`${operatorToken}x`, 'GET', '/api/operator/tenants')).status, 401, 'a forged operator token');
  const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${operatorToken}` } });
  t.equal(me.statusCode, 401, 'the operator token is no tenant token');
  t.same((await operatorCall(operatorToken, 'GET', '/api/operator/me')).body, { operator: { email: OPERATOR.email } });
});

t.test('without operator credentials in the environment there is no operator API', async (t) => {
  const bare = await startFixtureApp();
  t.teardown(() => bare.close());
  t.equal((await bare.app.inject({ method: 'POST', url: '/api/operator/login', payload: OPERATOR })).statusCode, 404);
});

t.test('the tenants list has the contract shape, with users and records counted', async (t) => {
  const admin = await testApp.signup('Listed Co');
  await testApp.addUser(admin, ['user']);
  const rowOf = async () =>
    (await operatorCall(operatorToken, 'GET', '/api/operator/tenants')).body.data.find((r: { id: string }) => r.id === admin.tenant.id);
  const before = await rowOf();
  await seedDeal(admin);
  const row = await rowOf();
  t.match(row, { id: admin.tenant.id, name: 'Listed Co', slug: admin.tenant.slug, plan: String, status: 'active', users: 2 });
  t.equal(row.records, before.records + 3, 'a stage, a company and a deal more');
  t.ok(Date.parse(row.created_at) > 0);
  t.ok(Date.parse(row.last_activity_at) > 0, 'activity: the last write');
});

t.test('a suspended tenant is locked out live, on every node, and comes back intact on resume', async (t) => {
  const admin = await testApp.signup('Suspended Co');
  const user = await testApp.addUser(admin, ['user']);
  const { deal: created } = await seedDeal(admin);
  const deal = (await call(user, 'GET', `/api/records/sales.deal/${created.id}`)).body;
  const other = await testApp.signup('Bystander Co');
  const sockets = [await TestSocket.connect(app, admin.token), await TestSocket.connect(app, user.token)];
  if (nodeB) sockets.push(await TestSocket.connect(nodeB, user.token));
  const bystander = await TestSocket.connect(app, other.token);

  const suspended = await operatorCall(operatorToken, 'PATCH', `/api/operator/tenants/${admin.tenant.id}`, { status: 'suspended' });
  t.equal(suspended.status, 200);
  t.equal(suspended.body.status, 'suspended');
  t.same(
    (await Promise.all(sockets.map((s) => s.closed))).map((c) => c.code),
    sockets.map(() => 4403),
    'every open socket of the tenant is closed with 4403',
  );
  for (const [who, url] of [
    [admin, '/api/me'],
    [user, `/api/records/sales.deal/${deal.id}`],
    [admin, '/api/admin/users'],
  ] as const) {
    const answer = await call(who, 'GET', url);
    t.equal(answer.status, 403, url);
    t.equal(answer.body.error.code, 'tenant_suspended', url);
  }
  if (nodeB) {
    const onB = await nodeB.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${user.token}` } });
    t.equal(onB.json().error.code, 'tenant_suspended', 'the other node refuses too');
  }
  const relogin = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.user.email, password: 'correct horse battery' },
  });
  t.equal(relogin.statusCode, 403, 'signing in again is refused');
  t.equal(relogin.json().error.code, 'tenant_suspended');
  t.equal(await handshake(TestSocket.open(app, admin.token)), 403, 'a new socket is refused');
  t.equal((await call(other, 'GET', '/api/me')).status, 200, 'another tenant goes on');
  t.equal(bystander.ws.readyState, bystander.ws.OPEN, "another tenant's socket stays open");

  const resumed = await operatorCall(operatorToken, 'PATCH', `/api/operator/tenants/${admin.tenant.id}`, { status: 'active' });
  t.equal(resumed.body.status, 'active');
  const back = await call(user, 'GET', `/api/records/sales.deal/${deal.id}`);
  t.equal(back.status, 200, 'the same token works again');
  t.same(back.body, deal, 'the record is intact');
  t.equal((await call(admin, 'GET', '/api/admin/users')).body.data.length, 2, 'its users are all there');
  const socket = await TestSocket.connect(app, user.token);
  t.equal(socket.cursor !== undefined, true, 'a socket opens again');
  socket.close();
  bystander.close();
});

t.test('every operator action is audited; a repeated status change is not an action', async (t) => {
  const admin = await testApp.signup('Audited Co');
  const path = `/api/operator/tenants/${admin.tenant.id}`;
  await operatorCall(operatorToken, 'PATCH', path, { status: 'suspended' });
  await operatorCall(operatorToken, 'PATCH', path, { status: 'suspended' });
  await operatorCall(operatorToken, 'PATCH', path, { status: 'active' });
  const upgraded = await operatorCall(operatorToken, 'PATCH', path, { plan: 'team' });
  t.same([upgraded.status, upgraded.body.plan], [200, 'team']);
  const unknownPlan = await operatorCall(operatorToken, 'PATCH', path, { plan: 'platinum' });
  t.same([unknownPlan.status, unknownPlan.body.error.details[0].field], [400, 'plan']);
  const exported = await operatorCall(operatorToken, 'GET', `${path}/export`);
  t.equal(exported.status, 200);
  const audit = await operatorCall(operatorToken, 'GET', `/api/operator/audit?tenant=${admin.tenant.id}`);
  t.same(audit.body.data.map((a: { action: string; operator: string }) => [a.action, a.operator]).reverse(), [
    ['suspend', OPERATOR.email],
    ['resume', OPERATOR.email],
    ['plan', OPERATOR.email],
    ['export', OPERATOR.email],
  ]);
  const rows = await app.platform.db.system<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM core_operator_audit WHERE tenant_id = ${admin.tenant.id}::uuid`,
  );
  t.equal(rows[0].n, 4, 'the rows are in core_operator_audit');
  const bad = await operatorCall(operatorToken, 'PATCH', path, { status: 'gone' });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.details[0].field, 'status');
  t.equal((await operatorCall(operatorToken, 'PATCH', `/api/operator/tenants/not-an-id`, { status: 'active' })).status, 404);
});

t.test("the export holds the tenant's rows and none of another tenant's, and no password hash", async (t) => {
  const admin = await testApp.signup('Exported Co');
  const { deal } = await seedDeal(admin);
  const other = await testApp.signup('Private Co');
  await seedDeal(other, { name: 'Secret deal' });
  const exported = await operatorCall(operatorToken, 'GET', `/api/operator/tenants/${admin.tenant.id}/export`);
  t.match(exported.headers['content-disposition'], /attachment; filename=".*-export\.json"/);
  t.equal(exported.body.tenant.id, admin.tenant.id);
  const tables: Record<string, Record<string, unknown>[]> = exported.body.tables;
  const deals = Object.entries(tables).find(([name]) => name.includes('deal'))![1];
  t.same(
    deals.map((d) => d.id),
    [deal.id],
  );
  const everyRow = Object.values(tables).flat();
  t.ok(
    everyRow.every((row) => row.tenant_id === admin.tenant.id),
    'only rows of this tenant',
  );
  t.ok(tables.core_users.length === 1 && !('password_hash' in tables.core_users[0]), 'users without their password hash');
});
