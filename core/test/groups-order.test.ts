import t from 'tap';
import { startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup();
const post = async (model: string, payload: object) =>
  (await admin.request({ method: 'POST', url: `/api/records/${model}`, payload })).json();
const labels = async (by: string) =>
  (await admin.request({ method: 'GET', url: `/api/records/sales.deal/groups?by=${by}` }))
    .json()
    .data.map((g: { label: string | null }) => g.label);

// Names and ids sort differently from the stages' sequence, and the phases' labels alphabetically differently from their declared order.
const stages = [
  await post('sales.stage', { name: 'Zeta', sequence: 1 }),
  await post('sales.stage', { name: 'Alpha', sequence: 3 }),
  await post('sales.stage', { name: 'Mu', sequence: 2 }),
];
for (const [stage, phase] of [
  [0, 'done'],
  [1, 'todo'],
  [2, 'doing'],
  [0, null],
] as const)
  await post('sales.deal', { name: 'D', stage: stages[stage].id, phase });

t.test("many2one columns come in the target model's order", async (t) => {
  t.same(await labels('stage'), ['Zeta', 'Mu', 'Alpha']);
});

t.test('selection columns come in their declared order, the empty value first', async (t) => {
  t.same(await labels('phase'), [null, 'Todo', 'Doing', 'Done']);
});
