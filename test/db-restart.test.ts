import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, buildApp } from '@atrium/core/platform';
import { testDatabaseKind } from '@atrium/core/testing';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createCluster } from './support/pg-cluster.ts';
import { TestSocket } from '../core/test/socket-client.ts';

/**
 * PostgreSQL restarts under load: meanwhile the server says it is unhealthy and answers 503 (never a
 * 500), then recovers by itself; a client's socket, reconnecting and resuming as the shell does, gets
 * every event of every acknowledged write, once and in order.
 */

/** A client that keeps one socket open, and when it closes opens another and resumes after the last cursor it saw. */
function follow(app: Parameters<typeof TestSocket.connect>[0], token: string) {
  const events: { cursor: number; id: string; op: string }[] = [];
  let hello = 0;
  let running = true;
  let reconnects = 0;
  let connected: () => void;
  let current: TestSocket | undefined;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const done = (async () => {
    let first = true;
    while (running) {
      let socket: TestSocket & { cursor: string };
      try {
        socket = await TestSocket.connect(app, token);
      } catch {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (first) hello = Number(socket.cursor);
      else reconnects++;
      connected!();
      first = false;
      current = socket;
      socket.send({ type: 'resume', after: String(events.at(-1)?.cursor ?? hello) });
      while (running) {
        const frame = await socket.next(500).catch(() => undefined);
        if (frame?.type === 'event') events.push({ cursor: Number(frame.cursor), id: String(frame.id), op: String(frame.op) });
        if (frame?.type === 'resync_required') throw new Error('the server asked for a resync');
        if (!frame && socket.ws.readyState !== socket.ws.OPEN) break;
      }
      socket.close();
    }
  })();
  /** Closes the current socket from the client's side, as a lost connection would. */
  const drop = () => current?.close();
  return {
    ready,
    events,
    drop,
    hello: () => hello,
    reconnects: () => reconnects,
    stop: () => {
      running = false;
      return done;
    },
  };
}
if (testDatabaseKind() !== 'postgresql') {
  // Reported as a skip (never a pass): nothing here was tested.
  t.plan(0, 'PGlite is embedded in the server process: there is no separate database server to restart');
} else {
  const cluster = await createCluster();
  t.teardown(() => cluster.drop());
  const config = resolveConfig(
    {
      modules: ['dir', 'sales'],
      modulesDir: FIXTURE_MODULES,
      dataDir: mkdtempSync(join(tmpdir(), 'atrium-restart-')),
      demo: false,
      logLevel: process.env.ATRIUM_TEST_LOG ?? 'silent',
      database: { url: cluster.url, poolSize: 4 },
      auth: { passwordCost: 1024, secret: 'restart-test-secret-restart-test-secret' },
    },
    process.cwd(),
    {},
  );
  const app = await buildApp(config);
  await app.ready();
  t.teardown(() => app.close());
  const signup = (
    await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { company: 'Restart', name: 'A', email: 'r@example.com', password: 'long enough' },
    })
  ).json();
  const auth = { authorization: `Bearer ${signup.token}` };
  const stage = (await app.inject({ method: 'GET', url: '/api/records/sales.stage', headers: auth })).json().data[0].id;
  const acknowledged: string[] = [];
  const write = async (name: string) => {
    const response = await app.inject({ method: 'POST', url: '/api/records/sales.deal', headers: auth, payload: { name, stage } });
    if (response.statusCode === 201) acknowledged.push(response.json().id);
    return response;
  };
  const health = async () => await app.inject({ method: 'GET', url: '/api/health' });

  // One client keeps its socket through the restart; the other loses it while the database is down and
  // reconnects (refused until the database is back) and resumes.
  const clients = [follow(app, signup.token), follow(app, signup.token)];
  await Promise.all(clients.map((c) => c.ready));

  t.test('unhealthy and 503 while the database is down, recovered by itself after', async (t) => {
    const statuses = new Map<number, number>();
    let running = true;
    let n = 0;
    const load = (async () => {
      while (running) {
        const status = (await write(`load ${n++}`)).statusCode;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    cluster.stop();
    clients[1].drop();
    const down = await health();
    t.equal(down.statusCode, 503);
    t.match(down.json(), { ok: false, database: 'postgresql' });
    const unready = await app.inject({ method: 'GET', url: '/api/ready' });
    t.equal(unready.statusCode, 503, 'not ready either');
    t.match(unready.json(), { ready: false, checks: { database: false } });
    const refused = await write('while down');
    t.equal(refused.statusCode, 503);
    t.same(refused.json().error.code, 'unavailable');
    t.equal((await app.inject({ method: 'GET', url: '/api/records/sales.deal', headers: auth })).statusCode, 503);

    cluster.start();
    const deadline = Date.now() + 30_000;
    while ((await health()).statusCode !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    t.equal((await health()).statusCode, 200, 'healthy again');
    t.equal((await app.inject({ method: 'GET', url: '/api/ready' })).statusCode, 200, 'and ready');
    const after = await write('after the restart');
    t.equal(after.statusCode, 201, 'writes work again without a restart of the app');
    running = false;
    await load;
    t.same(
      [...statuses.keys()].filter((s) => s !== 201 && s !== 503),
      [],
      `only 201 and 503 under load (${JSON.stringify(Object.fromEntries(statuses))})`,
    );
    t.ok((statuses.get(503) ?? 0) > 0 && (statuses.get(201) ?? 0) > 0, 'the load saw both');
  });

  t.test('sockets, kept or resumed, miss no event', async (t) => {
    t.ok(clients[1].reconnects() > 0, 'the dropped client reconnected');
    for (const [i, client] of clients.entries()) {
      const deadline = Date.now() + 20_000;
      const seen = () => new Set(client.events.filter((e) => e.op === 'created').map((e) => e.id));
      while (acknowledged.some((id) => !seen().has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await client.stop();
      t.same(
        acknowledged.filter((id) => !seen().has(id)),
        [],
        `client ${i}: an event for each of the ${acknowledged.length} acknowledged writes (${client.reconnects()} reconnections)`,
      );
      const cursors = client.events.map((e) => e.cursor);
      t.same(
        cursors,
        Array.from({ length: cursors.length }, (_, n) => client.hello() + 1 + n),
        `client ${i}: cursors follow each other from the hello on, no gap, no duplicate`,
      );
    }
  });
}
