import { fileURLToPath } from 'node:url';
import t from 'tap';
import type pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { startTestApp, testDatabaseKind, type SignedIn } from '@atrium/core/testing';

// The lead hook's read of its stage is served from the node's cache (core/src/engine/records/hook-read-cache.ts):
// a create is then one message to the database, and a stage changed since (on this node or another) is read afresh.
const app = await startTestApp({ modules: ['contacts', 'crm'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();

/** What each checkout of a pool connection sent: one list of messages (client.query calls) per transaction. */
const checkouts: string[][] = [];
const sending = new WeakMap<pg.PoolClient, string[]>();
const pool = app.app.platform.db.pool;
pool.on('acquire', (client) => {
  if (!sending.has(client)) {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => (sending.get(client)!.push(String(args[0])), query(...args));
  }
  sending.set(client, []);
});
pool.on('release', (_error: unknown, client: pg.PoolClient) => {
  const sent = sending.get(client);
  if (sent) checkouts.push(sent);
});
/** The transactions whose messages name `text` (values travel inline in the statements' text). */
const sentWith = (text: string): string[][] => checkouts.filter((messages) => messages.some((m) => m.includes(text)));

const on = (node: FastifyInstance, who: SignedIn, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  node.inject({ method, url, payload, headers: { authorization: `Bearer ${who.token}` } });
const q = (value: unknown): string => encodeURIComponent(JSON.stringify(value));
const createLead = (payload: object, node = app.app) => on(node, admin, 'POST', '/api/records/crm.lead', { name: 'Lead', ...payload });
const newStage = async (name: string, sequence: number): Promise<string> =>
  (await on(app.app, admin, 'POST', '/api/records/crm.stage', { name, sequence })).json().id;

t.test('a create whose stage was read before is one message: checks, insert, event and commit', async (t) => {
  const stage = await newStage('Qualified once', 2);
  t.equal((await createLead({ stage })).statusCode, 201);
  const lead = await createLead({ name: 'One message', stage, probability: 40 });
  t.equal(lead.statusCode, 201);
  t.same(
    sentWith('One message').map((messages) => messages.length),
    [1],
    'one transaction, one message',
  );
  t.match(lead.json(), { stage: { id: stage }, probability: 40 });
});

t.test('a stage changed after it was read is read afresh: the write is checked and runs again', async (t) => {
  const stage = await newStage('Soon won', 3);
  t.match((await createLead({ stage, probability: 20 })).json(), { probability: 20, closed_on: null });
  t.equal((await on(app.app, admin, 'PATCH', `/api/records/crm.stage/${stage}`, { is_won: true })).statusCode, 200);
  const lead = await createLead({ name: 'Read afresh', stage, probability: 20 });
  t.equal(lead.statusCode, 201);
  t.match(lead.json(), { probability: 100, closed_on: /^\d{4}-\d{2}-\d{2}$/ }, 'the hook saw the won stage');
  t.equal(sentWith('Read afresh').length, 2, 'the cached stage was refused and the write ran again');
  t.equal(
    (await on(app.app, admin, 'GET', `/api/records/crm.lead?filter=${q({ stage })}`)).json().total,
    2,
    'the refused attempt left no lead',
  );
});

t.test('a deleted stage refuses the create with a field error, leaving nothing', async (t) => {
  const stage = await newStage('Short-lived', 4);
  const first = (await createLead({ stage })).json();
  t.equal((await on(app.app, admin, 'DELETE', `/api/records/crm.lead/${first.id}`)).statusCode, 204);
  t.equal((await on(app.app, admin, 'DELETE', `/api/records/crm.stage/${stage}`)).statusCode, 204);
  const refused = await createLead({ name: 'Orphan', stage });
  t.equal(refused.statusCode, 400);
  t.match(refused.json().error.details, [{ field: 'stage' }]);
  t.equal((await on(app.app, admin, 'GET', `/api/records/crm.lead?filter=${q({ name: 'Orphan' })}`)).json().total, 0);
});

t.test("a stage cached for one tenant is not another tenant's", async (t) => {
  const stage = await newStage('Ours', 6);
  t.equal((await createLead({ stage })).statusCode, 201);
  const other = await app.signup('Another company');
  const refused = await on(app.app, other, 'POST', '/api/records/crm.lead', { name: 'Theirs', stage });
  t.equal(refused.statusCode, 400);
  t.match(refused.json().error.details, [{ field: 'stage', rule: 'relation' }]);
});

t.test(
  'a stage changed on another node is read afresh on this one',
  { skip: testDatabaseKind() !== 'postgresql' && 'a second node needs PostgreSQL' },
  async (t) => {
    const other = await app.startNode();
    const stage = await newStage('Won elsewhere', 5);
    t.match((await createLead({ stage, probability: 30 })).json(), { probability: 30 });
    t.equal((await on(other, admin, 'PATCH', `/api/records/crm.stage/${stage}`, { is_won: true })).statusCode, 200);
    t.match((await createLead({ name: 'Won on B', stage, probability: 30 })).json(), { probability: 100 });
    t.equal(sentWith('Won on B').length, 2, 'refused once, then read afresh');
  },
);
