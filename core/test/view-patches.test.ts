import t from 'tap';
import { testDatabaseKind } from '../src/platform/testing/index.ts';
import { call, startFixtureApp } from './helpers.ts';
import { TestSocket, type Frame } from './socket-client.ts';

// A tenant's own patches of the modules' views (/api/admin/views): placed like a module's extension,
// reflected in that tenant's /api/meta only, announced to its sockets (on every node) as meta_changed.
const app = await startFixtureApp({ modules: ['dir', 'sales', 'memo'] });
t.teardown(() => app.close());
const admin = await app.signup('Patching Co');
const user = await app.addUser(admin, ['user'], 'Sam');
const other = await app.signup('Untouched Co');

const views = async (who = user) => (await call(who, 'GET', '/api/meta')).body.views;
const put = (view: string, patches: unknown, who = admin) => call(who, 'PUT', `/api/admin/views/${view}`, { patches });

/** Frames up to the first of this type (a socket hears the patch's own event first, if it may read core.view_patch). */
async function until(socket: TestSocket, type: string): Promise<Frame[]> {
  const out: Frame[] = [];
  for (;;) {
    const frame = await socket.next();
    out.push(frame);
    if (frame.type === type) return out;
  }
}

t.test("a field placed on a tenant's kanban card, form and list shows in that tenant's meta, and only there", async (t) => {
  const before = await views(admin);
  t.equal((await put('sales.deal_kanban', [{ card: ['phase'] }])).status, 200);
  t.equal((await put('sales.deal_form', [{ after: 'amount', rows: [['phase', 'closed_on']] }])).status, 200);
  const list = await put('sales.deal_list', [{ columns: ['phase'] }]);
  t.same(list.body, { view: 'sales.deal_list', model: 'sales.deal', type: 'list', label: null, patches: [{ columns: ['phase'] }] });

  const after = await views(admin);
  t.same(after['sales.deal_kanban'].card, [...before['sales.deal_kanban'].card, 'phase'], 'onto the card, after the module’s fields');
  t.same(
    after['sales.deal_form'].layout,
    [['name'], ['partner', 'stage'], ['amount', 'probability'], ['phase', 'closed_on'], ['lines'], ['notes']],
    'the row goes after the row holding `after`; the memo extension’s row stays where it was',
  );
  t.same(after['sales.deal_list'].columns, ['name', 'partner', 'stage', 'amount', 'phase']);
  t.same(await views(other), before, "another tenant's views are the modules' own");
});

t.test("a placed field the user may not read stays out of the user's meta, not the admin's", async (t) => {
  t.equal((await put('sales.deal_kanban', [{ card: ['phase', 'secret'] }])).status, 200);
  t.same((await views(admin))['sales.deal_kanban'].card.slice(-2), ['phase', 'secret']);
  t.notOk((await views(user))['sales.deal_kanban'].card.includes('secret'), 'trimmed like any field of the view');
});

t.test('patches are checked like a module extension: each problem names its place in the body', async (t) => {
  const problems = async (view: string, patches: unknown) => {
    const answer = await put(view, patches);
    t.equal(answer.status, 400, JSON.stringify(patches));
    return answer.body.error.details.map((d: { field: string }) => d.field);
  };
  t.same(await problems('sales.deal_kanban', [{ card: ['nope'] }]), ['patches.0.card.0'], 'an unknown field');
  t.same(await problems('sales.deal_kanban', [{ card: ['name'] }]), ['patches.0.card.0'], 'a field the card already shows');
  t.same(await problems('sales.deal_kanban', [{ card: ['phase'] }, { card: ['phase'] }]), ['patches.1.card.0'], 'a field placed twice');
  t.same(await problems('sales.deal_kanban', [{ columns: ['phase'] }]), ['patches.0.columns'], 'list columns on a kanban view');
  t.same(await problems('sales.deal_form', [{ after: 'phase', rows: [['done']] }]), ['patches.0.after'], '`after` a field not on the form');
  t.same(await problems('sales.deal_form', [{ rows: [[]] }]), ['patches.0.rows.0'], 'an empty row');
  t.same(await problems('sales.deal_list', { columns: ['phase'] }), ['patches'], 'patches is a list');
  t.equal((await put('sales.nope', [])).status, 404, 'an unknown view');
  t.equal((await put('sales.deal_kanban', [{ card: ['phase'] }], user)).status, 403, 'admins only');
  t.equal((await put('sales.deal_kanban', [{ card: ['phase'] }], other)).status, 200, "another tenant's admin patches its own view");
  t.same((await views())['sales.deal_kanban'].card.slice(-1), ['phase'], 'which changes nothing here');
  t.equal((await call(other, 'DELETE', '/api/admin/views/sales.deal_kanban')).status, 204);
});

t.test('GET lists every view of the tenant with its patches; DELETE gives the module’s view back', async (t) => {
  const listed = (await call(admin, 'GET', '/api/admin/views')).body.data;
  t.same(
    listed.find((v: { view: string }) => v.view === 'sales.deal_kanban'),
    { view: 'sales.deal_kanban', model: 'sales.deal', type: 'kanban', label: null, patches: [{ card: ['phase', 'secret'] }] },
  );
  t.same(listed.find((v: { view: string }) => v.view === 'dir.company_list')?.patches, [], 'a view without patches');
  t.same((await call(other, 'GET', '/api/admin/views')).body.data.find((v: { view: string }) => v.view === 'sales.deal_list').patches, []);
  t.equal((await call(admin, 'DELETE', '/api/admin/views/sales.deal_list')).status, 204);
  t.same((await views())['sales.deal_list'].columns, ['name', 'partner', 'stage', 'amount']);
});

t.test('a placed field that leaves the model (its module off) leaves the view, and comes back with it', async (t) => {
  t.equal((await put('sales.deal_list', [{ columns: ['phase', 'notes'] }])).status, 200);
  t.same((await views(admin))['sales.deal_list'].columns.slice(-2), ['phase', 'notes']);
  t.equal((await call(admin, 'PUT', '/api/admin/modules/memo', { enabled: false })).status, 200);
  t.same((await views(admin))['sales.deal_list'].columns.slice(-1), ['phase'], 'the extension’s field is gone from the list');
  t.equal((await call(admin, 'PUT', '/api/admin/modules/memo', { enabled: true })).status, 200);
  t.same((await views(admin))['sales.deal_list'].columns.slice(-2), ['phase', 'notes']);
});

t.test("a change commits with its event and tells every socket of the tenant meta_changed, no other tenant's", async (t) => {
  const [userSocket, adminSocket, otherSocket] = await Promise.all([
    TestSocket.connect(app.app, user.token),
    TestSocket.connect(app.app, admin.token),
    TestSocket.connect(app.app, other.token),
  ]);
  t.teardown(() => [userSocket, adminSocket, otherSocket].forEach((s) => s.close()));
  t.equal((await put('sales.deal_kanban', [{ card: ['phase', 'done'] }])).status, 200);
  t.same(
    (await until(userSocket, 'meta_changed')).map((f) => f.type),
    ['meta_changed'],
    'the user may not read core.view_patch: only meta_changed',
  );
  const adminFrames = await until(adminSocket, 'meta_changed');
  t.same(
    adminFrames.map((f) => [f.type, f.model, f.op]),
    [
      ['event', 'core.view_patch', 'updated'],
      ['meta_changed', undefined, undefined],
    ],
    'the admin sees the record change, then meta_changed',
  );
  t.same((adminFrames[0].record as { patches: unknown }).patches, [{ card: ['phase', 'done'] }], 'the event carries the patches');
  t.same((await views())['sales.deal_kanban'].card.slice(-2), ['phase', 'done'], 'the meta a shell reloads then has the field');
  const company = await call(other, 'POST', '/api/records/dir.company', { name: 'After' });
  const next = await otherSocket.next();
  t.same([next.type, next.id], ['event', company.body.id], 'the other tenant heard nothing before its own write');
  const history = await call(admin, 'GET', `/api/records/core.view_patch/${adminFrames[0].id}/history`);
  t.same(
    history.body.data.map((h: { op: string }) => h.op),
    ['created', 'updated', 'updated'],
    'each change of the kanban patch is in its history (the refused ones left none)',
  );
});

t.test(
  'a second node tells its sockets meta_changed',
  { skip: testDatabaseKind() !== 'postgresql' && 'a second node needs PostgreSQL' },
  async (t) => {
    const nodeB = await app.startNode();
    const onB = await TestSocket.connect(nodeB, user.token);
    t.teardown(() => onB.close());
    const oldCard = (await views())['sales.deal_kanban'].card;
    t.equal((await put('sales.deal_kanban', [{ card: ['phase', 'closed_on'] }])).status, 200);
    await until(onB, 'meta_changed');
    const onBMeta = await nodeB.inject({ method: 'GET', url: '/api/meta', headers: { authorization: `Bearer ${user.token}` } });
    t.same(onBMeta.json().views['sales.deal_kanban'].card.slice(-2), ['phase', 'closed_on'], "node B's cache of the tenant was dropped");
    t.not(oldCard.at(-1), 'closed_on');
  },
);
