import { EventEmitter } from 'node:events';
import t from 'tap';
import { WebSocket } from 'ws';
import type { EventLog, EventPage, LoggedEvent } from '../src/engine/events/event-log.ts';
import { framesOf } from '../src/realtime/event-frame.ts';
import { Subscriber, type FeedPosition } from '../src/realtime/subscriber.ts';
import { startFixtureApp } from './helpers.ts';

// The race at the seam between a replay and live delivery, made deterministic: the log answers only when
// the test says so, and the test plays the feed. A real session judges the events.
const testApp = await startFixtureApp({ modules: ['dir'] });
t.teardown(() => testApp.close());
const admin = await testApp.signup();
const session = await testApp.app.platform.sessions.resolve(admin.tenant.id, admin.user.id, Date.now());

const event = (seq: number): LoggedEvent => ({
  seq,
  model: 'dir.company',
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  op: 'created',
  version: 1,
  record: { id: 'x', version: 1, name: `Company ${seq}` },
  before: null,
  requestId: null,
  ageSeconds: 0,
});

/** A socket that records what is sent to it. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: { type: string; cursor?: string }[] = [];
  send(frame: string | Buffer): void {
    this.sent.push(JSON.parse(String(frame)));
  }
  close(): void {
    this.readyState = WebSocket.CLOSED;
  }
}

/** A log whose pages the test hands out one by one, and a feed position the test moves. */
function harness() {
  const requests: { after: number; answer(events: LoggedEvent[]): void }[] = [];
  let waiting: (() => void) | undefined;
  const log = {
    after: (_tenant: string, after: number) =>
      new Promise<EventPage>((resolve) => {
        requests.push({ after, answer: (events) => resolve({ latest: 100, events }) });
        waiting?.();
      }),
  } as unknown as EventLog; // only `after` is used by a subscriber
  const feed: FeedPosition & { delivered: number } = { tenantId: admin.tenant.id, log, ready: Promise.resolve(), delivered: 0 };
  const socket = new FakeSocket();
  const subscriber = new Subscriber(
    socket as unknown as WebSocket,
    session,
    feed,
    { maxBufferBytes: 1 << 20 },
    { expiresAt: Date.now() + 60_000, issuedAt: Date.now() },
    (error) => {
      throw error;
    },
  );
  const nextRequest = async () => {
    const deadline = Date.now() + 2000;
    while (requests.length === 0) {
      if (Date.now() > deadline) throw new Error('the subscriber did not read the log');
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 100);
      });
    }
    return requests.shift()!;
  };
  /** The feed dispatching an event to its live sockets. */
  const dispatch = (e: LoggedEvent) => {
    subscriber.offer(
      e,
      framesOf(e, () => undefined),
    );
    feed.delivered = e.seq;
  };
  const resume = (after: number) => socket.emit('message', Buffer.from(JSON.stringify({ type: 'resume', after: String(after) })), false);
  const cursors = () => socket.sent.filter((f) => f.type === 'event').map((f) => Number(f.cursor));
  return { feed, socket, nextRequest, dispatch, resume, cursors };
}

t.test('an event the feed dispatches while the last replay page is in flight is not lost', async (t) => {
  const h = harness();
  await new Promise((resolve) => setImmediate(resolve)); // hello
  h.resume(0);
  const page = await h.nextRequest();
  t.equal(page.after, 0);
  h.dispatch(event(1)); // read before the replay's page: skipped live, since the socket is replaying
  h.dispatch(event(2));
  h.dispatch(event(3)); // committed after the replay's page was read
  page.answer([event(1), event(2)]);
  const more = await h.nextRequest();
  t.equal(more.after, 2, 'the replay sees the feed went further and reads on');
  more.answer([event(3)]);
  await new Promise((resolve) => setImmediate(resolve));
  h.dispatch(event(4));
  t.same(h.cursors(), [1, 2, 3, 4], 'each once, in order');
});

t.test('events the replay read ahead of the feed are not sent twice when the feed reaches them', async (t) => {
  const h = harness();
  await new Promise((resolve) => setImmediate(resolve));
  h.resume(0);
  (await h.nextRequest()).answer([event(1), event(2), event(3)]);
  await new Promise((resolve) => setImmediate(resolve));
  for (const seq of [1, 2, 3, 4]) h.dispatch(event(seq));
  t.same(h.cursors(), [1, 2, 3, 4]);
});

t.test('a newer resume stops an older replay', async (t) => {
  const h = harness();
  await new Promise((resolve) => setImmediate(resolve));
  h.resume(0);
  const first = await h.nextRequest();
  h.resume(5);
  first.answer([event(1), event(2)]);
  const second = await h.nextRequest();
  t.equal(second.after, 5);
  second.answer([event(6)]);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(h.cursors(), [6], 'nothing of the superseded replay');
});
