import type { Test } from 'tap';
import type { SignedIn, TestApp } from '@atrium/core/testing';
import { call } from '../../core/test/helpers.ts';
import { TestSocket, type Frame } from '../../core/test/socket-client.ts';
import { creationOrder, sweptModels } from './platform-registry.ts';
import { createValid, seedTenant, type SeededTenant } from './seed-tenant.ts';
import { maskedRolePermissions, ownRecordsRolePermissions, unreadableIn, userWithRole } from './sweep-roles.ts';

/*
 * Tenant A creates, updates, acts on and deletes a record of every model while sockets listen: tenant
 * B's sockets get nothing of it, even when resuming from A's cursors; A's own users get each event only
 * with what their role may read.
 */
export async function websocketSweep(t: Test, app: TestApp): Promise<void> {
  const registry = app.app.platform.registry;
  const A = await seedTenant(registry, await app.signup('Tenant A'), 'alpha', 1);
  const B = await seedTenant(registry, await app.signup('Tenant B'), 'bravo', 1);
  const masked = await userWithRole(app, A.admin, 'sweep_masked', maskedRolePermissions(registry));
  const owner = await userWithRole(app, A.admin, 'sweep_own', ownRecordsRolePermissions(registry));
  const writable = creationOrder(sweptModels(registry)).filter((m) => A.creatable.has(m.id));

  const connect = async (who: SignedIn): Promise<TestSocket & { cursor: string }> => {
    const socket = await TestSocket.connect(app.app, who.token);
    t.teardown(() => socket.close());
    return socket;
  };
  const [bAdmin, bUser, aAdmin, aMasked, aOwner] = await Promise.all(
    [B.admin, await app.addUser(B.admin, ['user']), A.admin, masked, owner].map(connect),
  );

  /** A barrier: a record `who` creates, whose event ends what a socket must read. */
  const barrier = async (tenant: SeededTenant, who: SignedIn = tenant.admin): Promise<string> =>
    (await createValid(who, writable[0], tenant.factory.create(writable[0]))).body.id;

  /** Every kind of write of tenant A on every model it can create: create, update, every action, delete. */
  const aWritten: string[] = [];
  for (const model of writable) {
    const created = await createValid(A.admin, model, A.factory.create(model));
    if (created.status !== 201) throw new Error(`A creates a ${model.id}: ${created.status} ${JSON.stringify(created.body)}`);
    const url = `/api/records/${model.id}/${created.body.id}`;
    aWritten.push(created.body.id, ...JSON.stringify(created.body).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)!);
    await call(A.admin, 'PATCH', url, A.factory.patch(model));
    for (const action of Object.values(model.actions))
      await call(A.admin, 'POST', `${url}/actions/${action.name}`, A.factory.params(action));
    if (model.chatter) {
      // Chatter frames of the record: a note and an activity, tagged so that a leak is seen.
      await call(A.admin, 'POST', `${url}/messages`, { body: `${A.tag} note`, kind: 'note' });
      const todo = { type: 'todo', summary: `${A.tag} todo`, due: '2030-01-01', assigned_to: A.admin.user.id };
      await call(A.admin, 'POST', `${url}/activities`, todo);
    }
    await call(A.admin, 'DELETE', url);
  }
  const aLast = await barrier(A);
  const aFrames = await aAdmin.until(aLast);
  const aIds = new Set(
    [...aWritten, ...sweptModels(registry).flatMap((m) => A.ids(m.id))].filter((id) => !B.ids('core.user').includes(id)),
  );

  /** The frames up to the barrier; if it never comes, all that arrived (so a leak is named, not a timeout). */
  const framesUntil = (socket: TestSocket, id: string): Promise<Frame[]> => socket.until(id, 5_000).catch(() => socket.frames);

  /** Anything of A in frames: its ids or its tagged values. */
  const leaks = (frames: Frame[]): string[] => {
    const text = JSON.stringify(frames);
    return [...[...aIds].filter((id) => text.includes(id)), ...(text.includes(A.tag) ? [A.tag] : [])];
  };

  t.test("A's socket saw its writes of every model (the sweep wrote something)", async (t) => {
    const seen = new Set(aFrames.filter((f) => f.type === 'event').map((f) => `${String(f.model)} ${String(f.op)}`));
    for (const model of writable) for (const op of ['created', 'updated']) t.ok(seen.has(`${model.id} ${op}`), `${model.id} ${op}`);
    const chatter = new Set(aFrames.filter((f) => f.type === 'chatter').map((f) => String(f.model)));
    for (const model of writable.filter((m) => m.chatter)) t.ok(chatter.has(model.id), `${model.id} chatter`);
  });

  t.test("B's sockets receive nothing of A's writes", async (t) => {
    const last = await barrier(B);
    for (const [name, socket] of [
      ['admin', bAdmin],
      ['user', bUser],
    ] as const) {
      const frames = await framesUntil(socket, last);
      t.same(
        frames.map((f) => f.id),
        [last],
        `B's ${name}: only B's own write`,
      );
      t.same(leaks(frames), [], `B's ${name}: nothing of A`);
    }
  });

  t.test("B cannot watch A's records, and hears nothing of A's presence", async (t) => {
    const watched = writable.find((m) => A.ids(m.id).length > 0)!;
    const id = A.ids(watched.id)[0];
    aAdmin.send({ type: 'watch', model: watched.id, id });
    const [watcher, bystander] = [await connect(B.admin), await connect(B.admin)];
    bystander.send({ type: 'watch', model: watched.id, id: B.ids(watched.id)[0] });
    watcher.send({ type: 'watch', model: watched.id, id });
    const refused = (await watcher.take(1))[0];
    t.match(refused, { type: 'error', code: 'not_found' }, `watching A's ${watched.id}`);
    const last = await barrier(B);
    for (const socket of [watcher, bystander, bAdmin]) {
      const frames = await framesUntil(socket, last);
      t.same(leaks(frames), [], 'nothing of A');
      t.same(
        frames.filter((f) => f.type === 'presence').flatMap((f) => (f.users as { id: string }[]).map((u) => u.id)),
        frames.filter((f) => f.type === 'presence').map(() => B.admin.user.id),
        'presence names B only',
      );
    }
    aAdmin.send({ type: 'unwatch' });
  });

  t.test("resuming from A's cursors gives B nothing of A", async (t) => {
    const cursors = [...new Set([aAdmin.cursor, ...aFrames.map((f) => f.cursor as string)])].filter(Boolean);
    // One socket per cursor: a socket may send only so many messages a minute.
    for (let i = 0; i < cursors.length; i += 20) {
      const resumed = await Promise.all(
        cursors.slice(i, i + 20).map(async (cursor) => {
          const socket = await connect(B.admin);
          socket.send({ type: 'resume', after: cursor });
          return { cursor, socket };
        }),
      );
      const last = await barrier(B);
      for (const { cursor, socket } of resumed) {
        const frames = await framesUntil(socket, last);
        t.same(leaks(frames), [], `resume after A's cursor ${cursor}: nothing of A`);
        t.same(
          frames.filter((f) => f.type !== 'resync_required' && f.type !== 'event' && f.type !== 'chatter'),
          [],
          `after ${cursor}: events, chatter or resync_required only`,
        );
        socket.close();
      }
    }
  });

  t.test('an event carries only what the role may read: hidden fields, lines and displays masked', async (t) => {
    const frames = await aMasked.until(aLast);
    const events = frames.filter((f) => f.type === 'event' && f.record);
    t.ok(events.length >= writable.length, 'the masked role reads every model: it gets the events');
    for (const event of events) {
      t.same(
        unreadableIn(registry, registry.model(event.model as string)!, event.record as Record<string, unknown>),
        [],
        `${String(event.model)} ${String(event.op)} ${String(event.id)}`,
      );
    }
  });

  t.test("a role that reads only its own records gets no event of others' records", async (t) => {
    const own = await barrier(A, owner);
    const frames = await aOwner.until(own);
    t.same(
      frames.map((f) => f.id),
      [own],
      'only its own write',
    );
  });
}
