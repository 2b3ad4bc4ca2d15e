import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { sql, startTestApp, type SignedIn } from '@atrium/core/testing';
import { call, q } from '../core/test/helpers.ts';

/*
 * Kanban columns of crm.lead (by stage, summing expected revenue) read from the totals the database keeps
 * (core_group_totals, migration 0023) must be the scan's answer after every kind of write: the API's
 * creates, updates, actions, deletes and imports, and raw SQL. The scan's answer is asked of the same API
 * with a filter of the same meaning that the totals do not serve (so labels and order are compared too),
 * and of SQL.
 */
const app = await startTestApp({ modules: ['contacts', 'crm'] });
t.teardown(() => app.close());
const { db } = app.app.platform;
const A = await app.signup('Totals A');
const B = await app.signup('Totals B');

type Group = { key: string | null; label: string | null; count: number; sum: string };
const board = async (who: SignedIn, filter?: object): Promise<Group[]> => {
  const answer = await call(
    who,
    'GET',
    `/api/records/crm.lead/groups?by=stage&sum=expected_revenue${filter ? `&filter=${q(filter)}` : ''}`,
  );
  if (answer.status !== 200) throw new Error(`groups: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.data;
};
/** Filters the totals serve, each with one of the same meaning they do not (the scan's answer). */
const FILTERS: [string, object | undefined, object][] = [
  ['no filter', undefined, { $or: [{ archived: { $null: true } }, { archived: { $null: false } }] }],
  ['open', { archived: false }, { $and: [{ archived: false }] }],
  ['archived', { archived: true }, { $and: [{ archived: true }] }],
];
/** The scan's answer in SQL: count and sum per stage. */
const oracle = async (who: SignedIn, archived?: boolean): Promise<Record<string, [number, string]>> => {
  const rows = await db.system<{ key: string | null; count: number; sum: string }>(
    sql`SELECT stage_id::text AS key, count(*)::int AS count, round(coalesce(sum(expected_revenue), 0), 2)::text AS sum FROM crm_lead
        WHERE tenant_id = ${who.tenant.id}::uuid AND (${archived ?? null}::boolean IS NULL OR archived = ${archived ?? null}::boolean) GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.key), [r.count, r.sum]]));
};
const byKey = (groups: Group[]): Record<string, [number, string]> =>
  Object.fromEntries(groups.map((g) => [String(g.key), [g.count, g.sum]]));

const agrees = async (t: Test, who: SignedIn, when: string): Promise<void> => {
  for (const [name, filter, same] of FILTERS) {
    const totals = await board(who, filter);
    t.same(totals, await board(who, same), `${when}, ${name}: the scan's columns`);
    t.same(
      byKey(totals),
      await oracle(who, (filter as { archived?: boolean } | undefined)?.archived),
      `${when}, ${name}: SQL's counts and sums`,
    );
  }
};

const stages = (await call(A, 'GET', '/api/records/crm.stage?sort=sequence')).body.data as { id: string; name: string }[];
const stagesB = (await call(B, 'GET', '/api/records/crm.stage?sort=sequence')).body.data as { id: string; name: string }[];
const lead = async (who: SignedIn, values: object): Promise<string> => {
  const created = await call(who, 'POST', '/api/records/crm.lead', values);
  if (created.status !== 201) throw new Error(`lead: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
};
const importCsv = async (who: SignedIn, csv: string): Promise<void> => {
  const response = await who.request({
    method: 'POST',
    url: '/api/records/crm.lead/import',
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  if (response.statusCode !== 200 || response.json().errors?.length) throw new Error(`import: ${response.statusCode} ${response.body}`);
};
/** A fake delta of leads in a stage (the first), written past the triggers (as the owner): what only the totals path shows. */
const fake = (who: SignedIn, count: number, key = stages[0].id) =>
  db.system(sql`INSERT INTO core_group_totals (tenant_id, model, group_by, sum_field, archived, key, count, sum)
    VALUES (${who.tenant.id}::uuid, 'crm.lead', 'stage', 'expected_revenue', false, ${key}, ${count}, 0)`);
/** The tenant's rows of kept totals (deltas and folded keys). */
const totalsRows = async (who: SignedIn): Promise<number> =>
  (await db.system<{ n: number }>(sql`SELECT count(*)::int AS n FROM core_group_totals WHERE tenant_id = ${who.tenant.id}::uuid`))[0].n;

const ids: string[] = [];
t.test('creates: every stage, cents, no revenue', async (t) => {
  ids.push(await lead(A, { name: 'One', stage: stages[0].id, expected_revenue: '1000.10' }));
  ids.push(await lead(A, { name: 'Two', stage: stages[0].id, expected_revenue: '0.05' }));
  ids.push(await lead(A, { name: 'Three', stage: stages[1].id }));
  ids.push(await lead(A, { name: 'Four', stage: stages[2].id, expected_revenue: '123456789.99' }));
  ids.push(await lead(A, { name: 'Five', stage: stages[3].id, expected_revenue: '-3.33' }));
  t.equal((await board(A)).length, 4);
  await agrees(t, A, 'after creates');
});

t.test('updates: a stage moved, a revenue changed, a name alone (no delta), a stage emptied by SQL', async (t) => {
  const before = await db.system<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM core_group_totals WHERE tenant_id = ${A.tenant.id}::uuid`,
  );
  t.equal((await call(A, 'PATCH', `/api/records/crm.lead/${ids[0]}`, { name: 'Renamed' })).status, 200);
  const after = await db.system<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM core_group_totals WHERE tenant_id = ${A.tenant.id}::uuid`,
  );
  t.equal(after[0].n, before[0].n, 'an update that moves nothing adds no delta');
  t.equal((await call(A, 'PATCH', `/api/records/crm.lead/${ids[1]}`, { stage: stages[2].id })).status, 200);
  t.equal((await call(A, 'PATCH', `/api/records/crm.lead/${ids[2]}`, { expected_revenue: '77.70' })).status, 200);
  t.equal((await call(A, 'PATCH', `/api/records/crm.lead/${ids[3]}`, { expected_revenue: '5' })).status, 200);
  // The API requires a stage: the empty column is made by SQL.
  await db.system(sql`UPDATE crm_lead SET stage_id = NULL WHERE id = ${ids[3]}::uuid`);
  t.equal((await board(A))[0].key, null, 'the empty column comes first');
  await agrees(t, A, 'after updates');
});

t.test('archive and restore (actions), then a delete', async (t) => {
  const reason = (await call(A, 'POST', '/api/records/crm.lost_reason', { name: 'Totals test reason' })).body.id;
  const lost = await call(A, 'POST', `/api/records/crm.lead/${ids[4]}/actions/mark_lost`, { lost_reason: reason });
  t.equal(lost.status, 200, JSON.stringify(lost.body));
  t.equal((await call(A, 'POST', `/api/records/crm.lead/${ids[2]}/actions/mark_lost`, { lost_reason: reason })).status, 200);
  await agrees(t, A, 'after archiving');
  t.equal((await call(A, 'POST', `/api/records/crm.lead/${ids[2]}/actions/restore`)).status, 200);
  await agrees(t, A, 'after restoring');
  t.equal((await call(A, 'DELETE', `/api/records/crm.lead/${ids[0]}`)).status, 204);
  await agrees(t, A, 'after a delete');
});

t.test('an import, then raw SQL inserts, updates and deletes', async (t) => {
  await importCsv(
    A,
    ['name,stage,expected_revenue', ...Array.from({ length: 30 }, (_, i) => `Imported ${i},${stages[i % 3].name},${i}.25`)].join('\n'),
  );
  await agrees(t, A, 'after an import');
  const tenant = A.tenant.id;
  await db.system(sql`INSERT INTO crm_lead SELECT (jsonb_populate_record(NULL::crm_lead, to_jsonb(l) || jsonb_build_object('id', gen_random_uuid(), 'archived', NULL))).*
    FROM crm_lead l WHERE l.tenant_id = ${tenant}::uuid`);
  await agrees(t, A, 'after copying every lead by SQL (archived NULL)');
  await db.system(
    sql`UPDATE crm_lead SET stage_id = ${stages[3].id}::uuid, expected_revenue = expected_revenue * 3 WHERE tenant_id = ${tenant}::uuid AND name LIKE 'Imported 1%'`,
  );
  await db.system(sql`DELETE FROM crm_lead WHERE tenant_id = ${tenant}::uuid AND name LIKE 'Imported 2%'`);
  await agrees(t, A, 'after SQL updates and deletes');
});

t.test("another tenant's writes never change this tenant's totals", async (t) => {
  const columns = await board(A);
  await lead(B, { name: 'B one', stage: stagesB[0].id, expected_revenue: '9.99' });
  await importCsv(B, 'name,stage,expected_revenue\nB two,Won,1\nB three,New,2');
  await db.system(sql`UPDATE crm_lead SET expected_revenue = 50 WHERE tenant_id = ${B.tenant.id}::uuid`);
  t.same(await board(A), columns);
  await agrees(t, B, 'the other tenant');
});

t.test('the totals path is taken; a viewer with an owner rule gets the scan of their own leads', async (t) => {
  const role = await call(A, 'POST', '/api/admin/roles', {
    name: 'own_leads',
    permissions: { 'crm.stage': { read: true }, 'crm.lead': { read: { salesperson: '$user' }, create: true } },
  });
  t.equal(role.status, 201);
  const own = await app.addUser(A, ['own_leads']);
  await lead(own, { name: 'Mine', stage: stages[1].id, expected_revenue: '42.00', salesperson: own.user.id });
  const mine = [{ key: stages[1].id, label: stages[1].name, count: 1, sum: '42.00' }];
  t.same(await board(own), mine);
  t.same(await board(own, { archived: false }), mine);

  const columns = await board(A);
  await fake(A, 5);
  t.not(await board(A), columns, "a delta past the triggers shows in the admin's columns: they are the totals");
  t.equal((await board(A, { archived: false })).find((g) => g.key === stages[0].id)!.count - 5, (await oracle(A, false))[stages[0].id][0]);
  t.same(await board(own), mine, "the owner-ruled viewer's columns are not");
  await fake(A, -5);
  t.same(await board(A), columns);
});

t.test('a pile of deltas is folded by a read into one row per key, the answer unchanged', async (t) => {
  const tenant = A.tenant.id;
  for (let i = 0; i < 70; i++)
    await db.system(
      sql`UPDATE crm_lead SET expected_revenue = coalesce(expected_revenue, 0) + 1 WHERE tenant_id = ${tenant}::uuid AND name = 'Two'`,
    );
  t.ok((await totalsRows(A)) > 64);
  await agrees(t, A, 'before folding');
  const keys = await db.system<{ n: number }>(
    sql`SELECT count(DISTINCT (stage_id, archived))::int AS n FROM crm_lead WHERE tenant_id = ${tenant}::uuid`,
  );
  t.equal(await totalsRows(A), keys[0].n, 'one row per stage and archived value');
  await agrees(t, A, 'after folding');
});

t.test('a board of more columns than the fold threshold is folded by the deltas beyond its keys, not on every read', async (t) => {
  const columns = await board(A);
  // 70 more columns, one row each, as a kanban by a field of many values has once folded.
  const keys = Array.from({ length: 70 }, () => randomUUID());
  for (const key of keys) await fake(A, 1, key);
  await board(A);
  const folded = await totalsRows(A);
  await fake(A, 1);
  const first = (groups: Group[]): number => groups.find((g) => g.key === stages[0].id)?.count ?? 0;
  t.equal(first(await board(A)), first(columns) + 1, 'the delta counts');
  t.equal(await totalsRows(A), folded + 1, 'one delta beyond the keys: the read leaves it');
  for (let i = 0; i < 64; i++) await fake(A, i % 2 === 0 ? 1 : -1);
  await board(A);
  t.equal(await totalsRows(A), folded, '65 deltas beyond the keys: the read folds them, one row per key again');
  await fake(A, -1);
  await db.system(sql`DELETE FROM core_group_totals WHERE tenant_id = ${A.tenant.id}::uuid AND key = ANY(${keys}::text[])`);
  t.same(await board(A), columns, 'the fake columns gone, the board as before');
  await agrees(t, A, 'after the fake columns');
});

t.test(
  'a start whose totals were made for other views rebuilds them from one scan',
  { skip: db.kind !== 'postgresql' && 'a second node needs PostgreSQL' },
  async (t) => {
    const columns = await board(A);
    await db.system(sql`DELETE FROM core_group_totals`);
    await db.system(sql`DELETE FROM core_migrations WHERE name LIKE 'totals/%'`);
    t.same(await board(A), [], 'the totals are gone');
    const node = await app.startNode();
    t.same(await board(A), columns);
    await agrees(t, A, 'after the rebuild');
    await agrees(t, B, 'after the rebuild, the other tenant');
    t.ok(node, 'the node that rebuilt them is closed with the app');
  },
);
