import t from 'tap';
import { sql } from '../src/store/sql.ts';
import { notesProject } from './notes-project.ts';

/*
 * Kanban totals follow the views across restarts: a kanban view added to an installation that has rows gets
 * its totals from one scan, a view whose sum changes gets them rebuilt (the old ones dropped), a view removed
 * takes its triggers along. Here on a selection (text keys) summing an integer, then money.
 */
const project = await notesProject('totals-test-secret-totals-test-secret');
t.teardown(() => project.database.drop());
const writeManifest = (kanban?: object): void =>
  project.writeManifest(
    {
      note: {
        fields: {
          title: { type: 'string', required: true },
          state: { type: 'selection', options: [{ value: 'todo' }, { value: 'done' }] },
          points: { type: 'integer' },
          amount: { type: 'money' },
          archived: { type: 'boolean' },
          folder: { type: 'many2one', model: 'notes.folder', ondelete: 'cascade' },
        },
      },
      folder: { fields: { name: { type: 'string' } } },
    },
    kanban ? { board: { type: 'kanban', model: 'notes.note', group_by: 'state', card: ['title'], ...kanban } } : {},
  );

writeManifest();
let app = await project.start();
const restart = async (kanban?: object) => {
  await app.close();
  writeManifest(kanban);
  app = await project.start();
};
t.teardown(() => app.close());

const signup = await app.inject({
  method: 'POST',
  url: '/api/auth/signup',
  payload: { company: 'Totals', name: 'A', email: 'a@example.com', password: 'long enough' },
});
const headers = { authorization: `Bearer ${signup.json().token}` };
const tenant = signup.json().tenant.id as string;
for (const [state, points, amount, archived] of [
  ['todo', 1, '1.10', false],
  ['todo', 2, '2.20', true],
  ['done', 40, '0.01', false],
  [null, 5, null, false],
] as const) {
  const note = await app.inject({
    method: 'POST',
    url: '/api/records/notes.note',
    headers,
    payload: { title: 'n', state, points, amount, archived },
  });
  if (note.statusCode !== 201) throw new Error(`note: ${note.body}`);
}

const groups = async (sum: string, filter = '') =>
  (await app.inject({ method: 'GET', url: `/api/records/notes.note/groups?by=state&sum=${sum}${filter}`, headers })).json().data;
const totals = () =>
  app.platform.db.system<{ sum_field: string; archived: boolean; key: string | null; count: string }>(
    sql`SELECT sum_field, archived, key, sum(count)::text AS count FROM core_group_totals WHERE tenant_id = ${tenant}::uuid GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 NULLS FIRST`,
  );
const triggers = async () =>
  (
    await app.platform.db.system<{ tgname: string }>(
      sql`SELECT tgname FROM pg_trigger WHERE tgrelid = 'notes_note'::regclass AND NOT tgisinternal ORDER BY 1`,
    )
  ).map((r) => r.tgname);
const points = [
  { key: null, label: null, count: 1, sum: 5 },
  { key: 'todo', label: 'Todo', count: 2, sum: 3 },
  { key: 'done', label: 'Done', count: 1, sum: 40 },
];

t.test('a kanban view added to an installation with rows gets its totals from one scan', async (t) => {
  t.same(await triggers(), []);
  t.same(await groups('points'), points, 'the scan');
  await restart({ sum: 'points' });
  t.same(await triggers(), ['atrium_group_totals_delete', 'atrium_group_totals_insert', 'atrium_group_totals_update']);
  t.same(await totals(), [
    { sum_field: 'points', archived: false, key: null, count: '1' },
    { sum_field: 'points', archived: false, key: 'done', count: '1' },
    { sum_field: 'points', archived: false, key: 'todo', count: '1' },
    { sum_field: 'points', archived: true, key: 'todo', count: '1' },
  ]);
  t.same(await groups('points'), points);
  t.same(await groups('points', '&filter={"archived":true}'), [{ key: 'todo', label: 'Todo', count: 1, sum: 2 }]);
});

t.test("a delete cascading from another model's row (the database's own statement) moves the totals too", async (t) => {
  const folder = (await app.inject({ method: 'POST', url: '/api/records/notes.folder', headers, payload: { name: 'f' } })).json().id;
  for (const state of ['todo', 'done', 'done'])
    await app.inject({ method: 'POST', url: '/api/records/notes.note', headers, payload: { title: 'in f', state, points: 100, folder } });
  t.same(
    (await groups('points')).map((g: { count: number }) => g.count),
    [1, 3, 3],
  );
  t.equal((await app.inject({ method: 'DELETE', url: `/api/records/notes.folder/${folder}`, headers })).statusCode, 204);
  t.same(await groups('points'), points);
});

t.test('a view whose sum changes gets its totals rebuilt, the old ones dropped; a view removed takes its triggers', async (t) => {
  await restart({ sum: 'amount' });
  t.same(
    (await totals()).map((r) => r.sum_field),
    ['amount', 'amount', 'amount', 'amount'],
  );
  t.same(await groups('amount', '&filter={"archived":false}'), [
    { key: null, label: null, count: 1, sum: '0.00' },
    { key: 'todo', label: 'Todo', count: 1, sum: '1.10' },
    { key: 'done', label: 'Done', count: 1, sum: '0.01' },
  ]);
  t.same(await groups('points'), points, 'a sum no view declares is scanned');
  await restart();
  t.same(await triggers(), []);
  t.same(await totals(), []);
  t.same(await groups('points'), points);
});
