import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();
const other = await app.signup();
const manager = await app.addUser(admin, ['manager']);
const user = await app.addUser(admin, ['user']);

type Stage = { id: string; name: string; sequence: number; fold: boolean; is_won: boolean };
const stagesOf = async (who: typeof admin): Promise<Stage[]> =>
  (await who.request({ method: 'GET', url: '/api/records/crm.stage' })).json().data;

t.test('every tenant gets its own New, Qualifying, Proposition and Won stages', async (t) => {
  const mine = await stagesOf(admin);
  const theirs = await stagesOf(other);
  t.same(
    mine.map((s) => [s.name, s.is_won]),
    [
      ['New', false],
      ['Qualifying', false],
      ['Proposition', false],
      ['Won', true],
    ],
  );
  t.same(
    theirs.map((s) => s.name),
    mine.map((s) => s.name),
  );
  t.equal(mine.filter((s) => theirs.some((x) => x.id === s.id)).length, 0, 'no stage is shared');
  const reasons = (await admin.request({ method: 'GET', url: '/api/records/crm.lost_reason' })).json();
  t.ok(reasons.total > 0, 'lost reasons are seeded too');
});

t.test('a manager renames, reorders, adds and folds stages; a user cannot', async (t) => {
  const [newStage, qualifying] = await stagesOf(admin);
  const patch = (who: typeof admin, id: string, payload: object) =>
    who.request({ method: 'PATCH', url: `/api/records/crm.stage/${id}`, payload });
  t.equal((await patch(manager, newStage.id, { name: 'Incoming' })).statusCode, 200);
  t.equal((await patch(manager, qualifying.id, { sequence: 0 })).statusCode, 200);
  t.equal((await patch(manager, newStage.id, { fold: true })).statusCode, 200);
  const added = await manager.request({ method: 'POST', url: '/api/records/crm.stage', payload: { name: 'Negotiation', sequence: 4 } });
  t.equal(added.statusCode, 201);
  const after = await stagesOf(user);
  t.same(
    after.map((s) => [s.name, s.fold]),
    [
      ['Qualifying', false],
      ['Incoming', true],
      ['Proposition', false],
      ['Negotiation', false],
      ['Won', false],
    ],
  );
  t.equal((await patch(user, newStage.id, { name: 'Mine' })).statusCode, 403);
  t.equal((await user.request({ method: 'POST', url: '/api/records/crm.stage', payload: { name: 'Mine' } })).statusCode, 403);
  t.same(
    (await stagesOf(other)).map((s) => s.name),
    ['New', 'Qualifying', 'Proposition', 'Won'],
    "another tenant's stages are untouched",
  );
});

t.test('a stage that still holds leads cannot be deleted', async (t) => {
  const [first] = await stagesOf(admin);
  await admin.request({ method: 'POST', url: '/api/records/crm.lead', payload: { name: 'Lead', stage: first.id } });
  t.equal((await manager.request({ method: 'DELETE', url: `/api/records/crm.stage/${first.id}` })).statusCode, 409);
});

t.test('a stage added after the won stage is placed just before it; a won stage stays where it is put', async (t) => {
  const company = await app.signup();
  const post = async (body: Record<string, unknown>) =>
    (await company.request({ method: 'POST', url: '/api/records/crm.stage', payload: body })).json();
  const won = (await stagesOf(company)).find((s) => s.is_won)!;
  await post({ name: 'Negotiation', sequence: won.sequence + 1 });
  await post({ name: 'After sale', sequence: won.sequence + 5, is_won: true });
  t.same(
    (await stagesOf(company)).map((s) => s.name),
    ['New', 'Qualifying', 'Proposition', 'Negotiation', 'Won', 'After sale'],
  );
});
