import t from 'tap';
import WebSocket from 'ws';
import { startTestApp } from '../src/platform/testing/index.ts';
import { FIXTURE_MODULES } from './helpers.ts';
import { create, newStage } from './realtime-fixtures.ts';
import { TestSocket } from './socket-client.ts';

const BOUND = 256 * 1024;
const testApp = await startTestApp({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, events: { maxSocketBufferBytes: BOUND } });
t.teardown(() => testApp.close());
const { app } = testApp;

t.test('a client that stops reading is closed once its buffer passes the bound, and nobody else waits for it', async (t) => {
  const admin = await testApp.signup();
  const stage = await newStage(admin);
  const fast = await TestSocket.connect(app, admin.token);
  const slow = await TestSocket.connect(app, admin.token);
  t.teardown(() => fast.close());
  slow.ws.pause(); // the client reads nothing more: first the kernel's buffers fill, then the server's queue

  const blob = 'x'.repeat(200_000);
  const written: string[] = [];
  const received: unknown[] = [];
  const open = () => [...app.websocketServer.clients].filter((c) => c.readyState === WebSocket.OPEN).length;
  const before = open();
  // Loopback buffers hold several megabytes before the server's queue grows at all.
  while (open() === before && written.length < 200) {
    written.push((await create(admin, 'sales.deal', { name: `Big ${written.length}`, stage, data: { blob } })).id);
    received.push((await fast.take(1))[0].id); // write by write: the fast client is never held up
  }
  t.same(received, written, 'the fast client got every event meanwhile');
  t.equal(open(), before - 1, `the slow client was dropped after ${written.length} frames of 200 kB`);

  slow.ws.resume();
  const { code } = await slow.closed;
  t.equal(code, 1013, 'with "try again later": it may reconnect and resume');
  t.ok(slow.frames.length < written.length + 1, 'it got what was queued, not the rest');
});
