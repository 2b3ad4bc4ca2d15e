import t from 'tap';
import { testDatabaseKind } from '../src/platform/testing/index.ts';
import { call, startFixtureApp } from './helpers.ts';
import { create } from './realtime-fixtures.ts';
import { TestSocket } from './socket-client.ts';
import type { Handlers } from '../src/realtime/bus.ts';

// Catch-up every second: the last test relies on it, as a node that missed a notification does.
const app = await startFixtureApp({ events: { catchUpSeconds: 1 } });
t.teardown(() => app.close());
const admin = await app.signup();
// On PostgreSQL, a second node too: its sockets hear of the writes and of the switch by two different notifications.
const nodes = testDatabaseKind() === 'postgresql' ? [app.app, await app.startNode()] : [app.app];

const ROUNDS = 4;
const WRITERS = 30;

t.test('a write racing a module switch-off either commits before it and is announced live, or is refused', async (t) => {
  for (let round = 1; round <= ROUNDS; round++) {
    t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true })).status, 200);
    const sockets = await Promise.all(nodes.map((node) => TestSocket.connect(node, admin.token)));
    // Writes of a sales model, started one after the other while the switch-off runs among them.
    let switched: Promise<number> | undefined;
    const writes = Array.from({ length: WRITERS }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i));
      if (i === WRITERS / 3) switched = call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false }).then((r) => r.status);
      return call(admin, 'POST', '/api/records/sales.stage_note', { text: `round ${round} note ${i}` });
    });
    const answers = await Promise.all(writes);
    t.equal(await switched, 200, `round ${round}: switched off`);

    const refused = answers.filter((a) => a.status !== 201);
    t.same(
      refused.filter((a) => a.status !== 404 || a.body.error.code !== 'module_disabled'),
      [],
      `round ${round}: a write is either acknowledged or refused with 404 module_disabled`,
    );
    t.equal(
      (await call(admin, 'POST', '/api/records/sales.stage_note', { text: 'after' })).body.error?.code,
      'module_disabled',
      'a write after the switch is refused',
    );

    // A write of another module after everything: its event comes after every earlier one (cursor order).
    const barrier = await create(admin, 'dir.company', { name: `barrier ${round}` });
    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    for (const [n, socket] of sockets.entries()) {
      const announced = new Set((await socket.until(barrier.id)).map((f) => f.id));
      t.same(
        acknowledged.filter((id) => !announced.has(id)),
        [],
        `round ${round}, node ${n + 1}: every acknowledged write (${acknowledged.length}, ${refused.length} refused) was announced live`,
      );
      socket.close();
    }
  }
});

t.test('a write whose announcement was lost before a switch-off is still delivered, judged as when it was written', async (t) => {
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: true })).status, 200);
  const socket = await TestSocket.connect(app.app, admin.token);
  // From here this node hears of no commit (a lost NOTIFY, a node that died after COMMIT): only catch-ups find them.
  (app.app.platform.bus as unknown as Handlers).emitter.removeAllListeners('events');
  const note = await create(admin, 'sales.stage_note', { text: 'written while sales was on' });
  t.equal((await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false })).status, 200);
  const barrier = await create(admin, 'dir.company', { name: 'barrier' });
  const announced = (await socket.until(barrier.id)).map((f) => f.id);
  t.ok(announced.includes(note.id), 'the note was announced: it was written before the switch');
  socket.close();
});
