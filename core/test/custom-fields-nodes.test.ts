import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { testDatabaseKind, type SignedIn } from '../src/platform/testing/index.ts';
import { q, startFixtureApp } from './helpers.ts';
import { TestSocket } from './socket-client.ts';

// Two app nodes on one PostgreSQL database (an embedded PGlite belongs to one process): a custom field
// defined on node A is usable on node B at once, without a restart; its removal too.
const skip = testDatabaseKind() !== 'postgresql' && 'a second node needs PostgreSQL';

const on = async (node: FastifyInstance, who: SignedIn, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
  const response = await node.inject({ method, url, payload, headers: { authorization: `Bearer ${who.token}` } });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
};

t.test('a field created on node A is written, filtered and sorted on node B right away', { skip }, async (t) => {
  const app = await startFixtureApp();
  t.teardown(() => app.close());
  const [a, b] = [app.app, await app.startNode()];
  const admin = await app.signup('Two nodes');
  const socketOnB = await TestSocket.connect(b, admin.token);
  t.teardown(() => socketOnB.close());
  // Node B has this tenant's session cached, without the field.
  const stage = (await on(b, admin, 'POST', '/api/records/sales.stage', { name: 'New' })).body.id;
  t.equal((await on(b, admin, 'POST', '/api/records/sales.deal', { name: 'Before', stage, x_weight: 1 })).status, 400);

  const created = await on(a, admin, 'POST', '/api/admin/custom-fields', {
    model: 'sales.deal',
    name: 'x_weight',
    type: 'integer',
    label: 'Weight',
  });
  t.equal(created.status, 201);
  const written = await on(b, admin, 'POST', '/api/records/sales.deal', { name: 'Heavy', stage, x_weight: 90 });
  t.equal(written.status, 201, JSON.stringify(written.body));
  t.equal(written.body.x_weight, 90);
  await on(b, admin, 'POST', '/api/records/sales.deal', { name: 'Light', stage, x_weight: 3 });
  const listed = await on(b, admin, 'GET', `/api/records/sales.deal?filter=${q({ x_weight: { $gt: 0 } })}&sort=-x_weight`);
  t.same(
    listed.body.data.map((d: { name: string }) => d.name),
    ['Heavy', 'Light'],
  );
  const frames = await socketOnB.until(written.body.id);
  t.equal((frames.at(-1)!.record as { x_weight?: number }).x_weight, 90, "node B's sockets carry it");
  // Meta on node B follows with the notification (a node that has not heard yet answers from its cache).
  const deadline = Date.now() + 5000;
  let meta = (await on(b, admin, 'GET', '/api/meta')).body;
  while (!meta.models['sales.deal'].fields.x_weight && Date.now() < deadline) meta = (await on(b, admin, 'GET', '/api/meta')).body;
  t.match(meta.models['sales.deal'].fields.x_weight, { custom: true, type: 'integer' });

  t.equal((await on(a, admin, 'DELETE', `/api/admin/custom-fields/${created.body.id}`)).status, 204);
  let hiddenOnB = false;
  for (let i = 0; i < 50 && !hiddenOnB; i++) {
    hiddenOnB = !('x_weight' in (await on(b, admin, 'GET', `/api/records/sales.deal/${written.body.id}`)).body);
    if (!hiddenOnB) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.ok(hiddenOnB, 'the removal reaches node B');
});
