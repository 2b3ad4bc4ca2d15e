import { randomUUID } from 'node:crypto';
import t from 'tap';
import { call, seedDeal, startFixtureApp } from './helpers.ts';
import { REFUSALS, Refusal, type RefusalReason } from '../src/kernel/refusals.ts';
import { expectSql } from '../src/store/refusal-sql.ts';
import { moduleOnSql } from '../src/engine/records/write-sql.ts';
import { sql } from '../src/store/sql.ts';
import { AtriumError } from '../src/kernel/errors.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Refusal Co');
const sam = await app.addUser(admin, ['user'], 'Sam');
const { db } = app.app.platform;

t.test('the SQL side raises every code of the catalogue, with its detail, and the core decodes it by code', async (t) => {
  for (const reason of Object.keys(REFUSALS) as RefusalReason[]) {
    const error = await db
      .transaction(admin.tenant.id, (tx) => tx.query(sql`SELECT ${expectSql(sql`false`, reason, 'the.detail')}`))
      .catch((e: unknown) => e);
    // Some refusals become a client error at once (see db-errors.ts); the others stay a typed Refusal.
    if (error instanceof Refusal) t.same([error.reason, error.detail], [reason, 'the.detail'], reason);
    else t.ok(error instanceof AtriumError && error.statusCode < 500, `${reason} becomes a 4xx`);
  }
  const passes = await db.transaction(admin.tenant.id, (tx) =>
    tx.rows<{ ok: boolean }>(sql`SELECT ${expectSql(sql`true`, 'no_row')} AS ok`),
  );
  t.same(passes, [{ ok: true }]);
  const bogus = await db
    .transaction(admin.tenant.id, (tx) => tx.query(sql`SELECT core_expect(false, 'atrium:no_row', NULL)`))
    .catch((e: unknown) => e);
  t.notOk(bogus instanceof Refusal, 'a code outside the catalogue is no refusal');
});

t.test('no_row: a stale version is 409 with the current record, a record the rule hides from update 403', async (t) => {
  const { deal } = await seedDeal(admin);
  await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'Newer' });
  const stale = await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'Stale' }, { 'if-match': '1' });
  t.equal(stale.status, 409);
  t.equal(stale.body.error.code, 'conflict');
  t.equal(stale.body.error.details.current.name, 'Newer');
  const notHis = await call(sam, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'Mine' });
  t.equal(notHis.status, 403);
  t.equal(notHis.body.error.code, 'forbidden');
  const deleted = await call(admin, 'DELETE', `/api/records/sales.deal/${randomUUID()}`);
  t.equal(deleted.status, 404);
});

t.test('rule_after: a user cannot hand their deal to someone else (403)', async (t) => {
  const stage = (await seedDeal(admin)).stage;
  const deal = (await call(sam, 'POST', '/api/records/sales.deal', { name: 'Sam deal', stage })).body;
  const handed = await call(sam, 'PATCH', `/api/records/sales.deal/${deal.id}`, { owner: admin.user.id });
  t.equal(handed.status, 403);
  t.equal(handed.body.error.code, 'forbidden');
  t.match(handed.body.error.message, /could no longer edit/);
  t.equal((await call(sam, 'GET', `/api/records/sales.deal/${deal.id}`)).body.owner.id, sam.user.id, 'nothing was written');
});

t.test('relation and line: 400 naming the field', async (t) => {
  const { deal } = await seedDeal(admin);
  const ghostTag = await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, {
    lines: [{ description: 'x', tags: [randomUUID()] }],
  });
  t.equal(ghostTag.status, 400);
  t.same(ghostTag.body.error.details, [
    { field: 'lines.0.tags', rule: 'relation', message: 'refers to a record that does not exist or that you may not see' },
  ]);
  const other = (await seedDeal(admin, { lines: [{ description: 'theirs' }] })).deal;
  const stolen = await call(admin, 'PATCH', `/api/records/sales.deal/${deal.id}`, {
    lines: [{ id: other.lines[0].id, description: 'mine now' }],
  });
  t.equal(stolen.status, 400);
  t.same(stolen.body.error.details, [{ field: 'lines', rule: 'line', message: 'names a line that does not belong to this record' }]);
});

t.test('module_off: a write whose module was switched off under it is 404 module_disabled', async (t) => {
  const error = await db
    .transaction(admin.tenant.id, async (tx) => {
      await tx.query(sql`UPDATE core_tenant_modules SET enabled = false WHERE tenant_id = ${admin.tenant.id}::uuid AND module = 'sales'`);
      await tx.query(moduleOnSql({ tenantId: admin.tenant.id, userId: null }, 'sales'));
    })
    .catch((e: unknown) => e);
  t.ok(error instanceof AtriumError);
  t.same((error as AtriumError).toBody().error, { code: 'module_disabled', message: 'The module "sales" is not enabled for your company' });
  t.equal((await call(admin, 'GET', '/api/records/sales.deal')).status, 200, 'rolled back: the module is still on');
});

t.test('last_admin: the company keeps one active administrator (409), and nothing is written', async (t) => {
  const self = await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { active: false });
  t.equal(self.status, 409);
  t.same(self.body.error, { code: 'conflict', message: 'The company must keep at least one active administrator' });
  const demoted = await call(admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { roles: ['user'], name: 'Renamed' });
  t.equal(demoted.status, 409);
  const me = (await call(admin, 'GET', '/api/admin/users')).body.data.find((u: { id: string }) => u.id === admin.user.id);
  t.match(me, { active: true, roles: ['admin'], name: admin.user.name });
});
