import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';
import { TestSocket } from './socket-client.ts';
import { sql } from '../src/store/sql.ts';

/**
 * Users, roles, the company's settings and module switches go through the records' unit of work: each
 * write has its event (delivered over the websocket to those who may read it) and its history, in the same
 * transaction as the write.
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Write Path Co');
const sam = await app.addUser(admin, ['user'], 'Sam');
const { db } = app.app.platform;

const history = async (model: string, id: string) => (await call(admin, 'GET', `/api/records/${model}/${id}/history`)).body.data;
const eventCount = async () =>
  (await db.system<{ n: number }>(sql`SELECT count(*)::int AS n FROM core_events WHERE tenant_id = ${admin.tenant.id}::uuid`))[0].n;

t.test("a role change is in the role's history and reaches an admin's open websocket as an event, not a user's", async (t) => {
  const created = await call(admin, 'POST', '/api/admin/roles', { name: 'auditor', permissions: { 'dir.company': { read: true } } });
  t.equal(created.status, 201);
  const adminSocket = await TestSocket.connect(app.app, admin.token);
  const samSocket = await TestSocket.connect(app.app, sam.token);
  t.teardown(() => (adminSocket.close(), samSocket.close()));
  const changed = await call(admin, 'PATCH', `/api/admin/roles/${created.body.id}`, { name: 'reviewer' });
  t.same(
    changed.body,
    { id: created.body.id, name: 'reviewer', label: null, builtin: false, permissions: { 'dir.company': { read: true } } },
    'the answer keeps its shape',
  );
  const [event] = await adminSocket.until(created.body.id);
  t.match(event, {
    type: 'event',
    op: 'updated',
    model: 'core.role',
    id: created.body.id,
    version: 2,
    record: { name: 'reviewer', builtin: false },
  });
  const entries = await history('core.role', created.body.id);
  t.same(
    entries.map((e: { op: string }) => e.op),
    ['created', 'updated'],
  );
  t.same(entries[1].changes, { name: 'reviewer' });
  t.same(entries[1].previous, { name: 'auditor' });
  t.equal(entries[1].actor.id, admin.user.id);
  // The user's socket gets nothing of it: a marker write they may read comes first.
  const marker = await call(sam, 'POST', '/api/records/dir.company', { name: 'Marker' });
  const seen = await samSocket.until(marker.body.id);
  t.notOk(
    seen.some((f) => f.model === 'core.role'),
    'roles are for admins only',
  );
  t.equal((await call(sam, 'GET', `/api/records/core.role/${created.body.id}/history`)).status, 403);
});

t.test('a user update has its event and history, never the password', async (t) => {
  const before = await eventCount();
  const renamed = await call(admin, 'PATCH', `/api/admin/users/${sam.user.id}`, { name: 'Samantha', password: 'a brand new secret' });
  t.equal(renamed.status, 200);
  t.match(renamed.body, { id: sam.user.id, name: 'Samantha', roles: ['user'] });
  t.equal(await eventCount(), before + 1);
  const entries = await history('core.user', sam.user.id);
  t.same(entries.at(-1).changes, { name: 'Samantha' });
  const stored = await db.system<{ row: string }>(
    sql`SELECT row_to_json(e)::text AS row FROM core_events e WHERE tenant_id = ${admin.tenant.id}::uuid AND model = 'core.user'`,
  );
  t.ok(stored.length >= 2);
  t.notOk(
    stored.some((r) => /password|secret|\$scrypt|\$argon/i.test(r.row)),
    'no password or hash in any event',
  );
  const login = (password: string) =>
    app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: sam.user.email, password, tenant: admin.tenant.slug } });
  t.equal((await login('a brand new secret')).statusCode, 200, 'the user signs in with the password the admin set');
  t.equal((await sam.request({ method: 'GET', url: '/api/me' })).statusCode, 401, 'and their earlier tokens end');
});

t.test('a settings change has its event and history on the company', async (t) => {
  const changed = await call(admin, 'PATCH', '/api/admin/settings', { name: 'Renamed Co', locale: 'fr-FR' });
  t.match(changed.body, { id: admin.tenant.id, name: 'Renamed Co', locale: 'fr-FR', currency: 'USD' });
  const entries = await history('core.company', admin.tenant.id);
  t.same(entries.at(-1).changes, { name: 'Renamed Co', locale: 'fr-FR' });
});

t.test('a module switch has its event and history', async (t) => {
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false })).status, 200);
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true })).status, 200);
  const [row] = await db.system<{ id: string }>(
    sql`SELECT id FROM core_tenant_modules WHERE tenant_id = ${admin.tenant.id}::uuid AND module = 'sales'`,
  );
  const entries = await history('core.module', row.id);
  t.same(
    entries.slice(-2).map((e: { changes: unknown }) => e.changes),
    [{ enabled: false }, { enabled: true }],
  );
});

t.test('a refused write leaves neither a change nor an event', async (t) => {
  const before = await eventCount();
  t.equal((await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { name: 'Gone', active: false })).status, 409, 'the last admin');
  t.equal((await call(admin, 'POST', '/api/admin/roles', { name: 'reviewer', permissions: {} })).status, 409, 'a duplicate role name');
  t.equal((await call(admin, 'PUT', '/api/admin/modules/dir', { enabled: false })).status, 409, 'a module others depend on');
  t.equal(await eventCount(), before, 'no event');
  const me = (await call(admin, 'GET', '/api/admin/users')).body.data.find((u: { id: string }) => u.id === admin.user.id);
  t.match(me, { name: admin.user.name, active: true }, 'no change');
});
