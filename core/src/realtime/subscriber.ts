import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket, type RawData } from 'ws';
import type { Session } from '../engine/tenancy/sessions.ts';
import { parseClientMessage, SocketError, type PresenceMessage } from './client-message.ts';
import { eventFrame, type Viewer } from './event-frame.ts';
import type { EventLog, LoggedEvent } from '../engine/events/event-log.ts';

/**
 * Close codes: the token expired or the user was deactivated; the client kept sending past the rate limit; the
 * user has too many sockets open; the client reads too slowly; the server stops or fails.
 */
export const CLOSE = {
  unauthorized: 4401,
  suspended: 4403,
  flooding: 4429,
  tooManySockets: 4409,
  tooSlow: 1013,
  goingAway: 1001,
  internal: 1011,
} as const;

/** What a subscriber needs of its tenant's feed. */
export interface FeedPosition {
  readonly tenantId: string;
  readonly log: EventLog;
  /** Resolves once `delivered` holds the tenant's position. */
  readonly ready: Promise<void>;
  /** The last cursor the feed has dispatched to its live sockets. */
  readonly delivered: number;
}

/** What a subscriber keeps of its token: when it expires and when it was issued (a logout refuses older tokens), in ms. */
export interface TokenTimes {
  expiresAt: number;
  issuedAt: number;
}

export interface SubscriberLimits {
  /** Queued outgoing bytes beyond which the socket is closed as too slow. */
  maxBufferBytes: number;
}

const REPLAY_PAGE = 500;
/** A replay waits this long at most for a client to drain its buffer before it is closed as too slow. */
const DRAIN_TIMEOUT_MS = 10_000;
const MESSAGES_PER_WINDOW = 20;
/** Frames beyond the limit are dropped (the first is answered once); at this many in a window the socket is closed. */
const FLOOD_MESSAGES = 2 * MESSAGES_PER_WINDOW;
const WINDOW_MS = 10_000;
/** setTimeout's limit (about 24.8 days); a token living longer is checked again when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const modulesOf = (session: Session): string[] => [...session.schema.enabled].sort();

/**
 * One websocket of a signed-in user. It receives the tenant's events from its feed while live, replays
 * from the log on `resume` (or from the handshake's `after`), and is closed when its token expires (4401),
 * it floods (4429) or it cannot keep up (1013).
 *
 * `position` is the last cursor the socket has been given or passed over: live events at or below it
 * are skipped, so a replay that read ahead of the feed never causes a duplicate at the seam.
 */
export class Subscriber {
  alive = true;
  private position = 0;
  private live = false;
  private closed = false;
  /** Whether hello has gone out: at once without `after`, once the replay has caught up with it. */
  private greeted = false;
  /** Bumped by every resume; a replay stops as soon as a newer resume exists. */
  private resumes = 0;
  private inbox: Promise<void>;
  private modules: string;
  private expiry: NodeJS.Timeout | undefined;
  private window = { start: 0, count: 0 };
  /** Where `watch` and `unwatch` frames go (the hub's presence). */
  onPresence: ((message: PresenceMessage) => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    public session: Session,
    private readonly feed: FeedPosition,
    private readonly limits: SubscriberLimits,
    readonly token: TokenTimes,
    private readonly onError: (error: unknown) => void,
    /** The handshake's `after`: replay from there before going live (a malformed one is answered bad_cursor). */
    after?: number | SocketError,
  ) {
    this.modules = modulesOf(session).join(',');
    this.expireAt(token.expiresAt);
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => this.stop());
    this.inbox = this.join(after).catch((error) => this.fail(error));
  }

  get userId(): string {
    return this.session.user.id;
  }

  /** A live event of the tenant, with its frame computed once per distinct viewer. */
  offer(event: LoggedEvent, frameFor: (viewer: Viewer) => Buffer | null): void {
    if (!this.live || event.seq <= this.position) return;
    this.position = event.seq;
    const frame = frameFor(this.session);
    if (frame) this.send(frame);
  }

  /** The user's roles, the tenant's modules or its permissions changed: from now on, judge with this session. */
  update(session: Session): void {
    this.session = session;
    const modules = modulesOf(session);
    if (modules.join(',') === this.modules) return;
    this.modules = modules.join(',');
    this.send(JSON.stringify({ type: 'modules', enabled: modules }));
  }

  /**
   * A frame that is not an event (a notification, presence, meta_changed), sent as it is, even before hello:
   * the client acts on each whenever it comes, as on the replay's events that precede hello.
   */
  push(frame: string): void {
    this.send(frame);
  }

  /** Called every ping interval: a socket that did not answer the last ping is dropped. */
  heartbeat(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  close(code: number, reason: string): void {
    this.stop();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }

  private stop(): void {
    this.closed = true;
    this.live = false;
    clearTimeout(this.expiry);
  }

  private expireAt(expiresAt: number): void {
    const left = expiresAt - Date.now();
    if (left <= 0) return this.close(CLOSE.unauthorized, 'token expired');
    this.expiry = setTimeout(() => this.expireAt(expiresAt), Math.min(left, MAX_TIMER_MS)).unref();
  }

  /**
   * Sends a text frame (an event's comes already encoded, shared by the sockets that see it alike) unless the
   * client already holds more than the bound unread: then it is closed, and nobody waits for it.
   */
  private send(frame: string | Buffer): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferBytes) return this.close(CLOSE.tooSlow, 'client too slow');
    this.socket.send(frame, { binary: false });
  }

  /**
   * Waits for the feed, then goes live, or, with the handshake's `after`, replays from it first. That resume
   * takes its generation before anything is awaited, so a `resume` frame arriving meanwhile comes after it.
   */
  private async join(after: number | SocketError | undefined): Promise<void> {
    if (after instanceof SocketError) {
      this.send(after.frame());
      after = undefined;
    }
    const generation = after === undefined ? 0 : ++this.resumes;
    await this.feed.ready;
    this.position = this.feed.delivered;
    if (after !== undefined) return this.resume(after, generation);
    // A resume that came in before hello goes live after its replay, not now.
    if (this.resumes === 0) this.live = true;
    this.hello();
  }

  /** Where the socket stands: the events after its cursor follow, live, in order. */
  private hello(): void {
    this.greeted = true;
    this.send(JSON.stringify({ type: 'hello', cursor: String(this.position) }));
  }

  /** A database failure while joining or replaying: the client reconnects and resumes. */
  private fail(error: unknown): void {
    this.onError(error);
    this.close(CLOSE.internal, 'events unavailable');
  }

  private receive(data: RawData, isBinary: boolean): void {
    const count = this.counted();
    if (count > FLOOD_MESSAGES) return this.close(CLOSE.flooding, 'too many messages');
    if (count > MESSAGES_PER_WINDOW)
      return count === MESSAGES_PER_WINDOW + 1 ? this.send(new SocketError('rate_limited').frame()) : undefined;
    const message = parseClientMessage(data, isBinary);
    if (message instanceof SocketError) return this.send(message.frame());
    if (message.type !== 'resume') return this.onPresence?.(message);
    // Live delivery stops at once: everything from here on comes from the replay, in order.
    this.live = false;
    const generation = ++this.resumes;
    this.inbox = this.inbox.then(() => this.resume(message.after, generation)).catch((error) => this.fail(error));
  }

  /** Frames received in the current window, this one included. */
  private counted(): number {
    const now = Date.now();
    if (now - this.window.start > WINDOW_MS) this.window = { start: now, count: 0 };
    return ++this.window.count;
  }

  /**
   * Replays the events after `after`. A cursor beyond the tenant's latest (another tenant's) or one whose
   * successor retention has deleted gets `resync_required`; the socket then catches up from where it was.
   */
  private async resume(after: number, generation: number): Promise<void> {
    if (generation !== this.resumes || this.closed) return;
    const first = await this.feed.log.after(this.feed.tenantId, after, REPLAY_PAGE);
    if (generation !== this.resumes || this.closed) return;
    const next = first.events[0];
    const known = after <= first.latest && (next ? next.seq === after + 1 : after === first.latest);
    if (known) return this.replay(after, generation, first.events);
    this.send(JSON.stringify({ type: 'resync_required' }));
    return this.replay(this.position, generation);
  }

  /** Sends the log from `from` on, paced by the client's reading, until it meets the live feed. */
  private async replay(from: number, generation: number, page?: LoggedEvent[]): Promise<void> {
    this.position = from;
    for (;;) {
      const events = page ?? (await this.feed.log.after(this.feed.tenantId, this.position, REPLAY_PAGE)).events;
      page = undefined;
      for (const event of events) {
        await this.drained();
        if (generation !== this.resumes || this.closed) return;
        const frame = eventFrame(event, this.session);
        if (frame) this.send(frame);
        this.position = event.seq;
      }
      if (generation !== this.resumes || this.closed) return;
      // No await between this check and going live: the feed cannot dispatch in between.
      if (events.length < REPLAY_PAGE && this.position >= this.feed.delivered) {
        this.live = true;
        // A handshake's replay (or the rewind that cut it short) has caught up: hello says where live begins.
        if (!this.greeted) this.hello();
        return;
      }
    }
  }

  /** Waits while the client holds more than half the bound unread; closes it if that lasts too long. */
  private async drained(): Promise<void> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (!this.closed && this.socket.bufferedAmount > this.limits.maxBufferBytes / 2) {
      if (Date.now() > deadline) return this.close(CLOSE.tooSlow, 'client too slow');
      await sleep(20);
    }
  }
}
