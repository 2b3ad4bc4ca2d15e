import type { WebSocket } from 'ws';
import type { PlatformConfig } from '../kernel/config.ts';
import type { Platform } from '../engine/platform.ts';
import type { Session } from '../engine/tenancy/sessions.ts';
import { EventLog } from '../engine/events/event-log.ts';
import { CLOSE, Subscriber, type TokenTimes } from './subscriber.ts';
import { TenantFeed } from './tenant-feed.ts';
import { SocketError, type PresenceMessage } from './client-message.ts';
import { Presence, PRESENCE_HEARTBEAT_MS } from './presence.ts';
import { Slices } from './heartbeat-slices.ts';
import type { SignalFrom } from '../engine/events/bus.ts';
import { readInbox } from '../engine/notifications/inbox.ts';
import { readableRecordsSql } from '../engine/records/readable-records.ts';
import { permittedFields } from '../engine/rbac/field-mask.ts';
import { isUuid } from '../kernel/filter/filter-language.ts';

/**
 * The heartbeat's interval is worked in this many ticks: each pings a tenth of the sockets and refreshes a
 * tenth of the feeds. All at once, 1,000 sockets' pings took 35 ms of the event loop, and every feed's
 * refresh past the session cache's minute reloaded every user's session in one burst (bench/README, websocket).
 */
const HEARTBEAT_SLICES = 10;

/**
 * This node's sockets, by tenant. It follows the bus: an event notification wakes the tenant's feed, a
 * control message refreshes the sessions of the tenant's sockets (roles, modules) or of one user (closed
 * with 4401 once deactivated). Timers ping every socket, re-check sessions against the cache's lifetime
 * (a backstop for a lost control message) and catch up on events a lost notification did not announce.
 */
export class Hub {
  /**
   * For tests and probes: frames computed, once per event per distinct viewer (not per socket; see framesOf);
   * reads of the event log; the most sockets one heartbeat tick pinged.
   */
  readonly stats = { framesBuilt: 0, logReads: 0, mostPingedInOneTick: 0 };
  private readonly feeds = new Map<string, TenantFeed>();
  private readonly log: EventLog;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Open sockets per user id on this node, for the per-user cap. */
  private readonly perUser = new Map<string, number>();
  /** Who watches which record, on every node (watch / presence frames). */
  readonly presence: Presence;
  /** Watch frames per socket, so that a read check finishing late never overrides a newer frame. */
  private readonly watchFrames = new WeakMap<Subscriber, number>();
  private readonly beats = new Slices<Subscriber | TenantFeed>(HEARTBEAT_SLICES);

  constructor(
    private readonly platform: Pick<Platform, 'db' | 'bus' | 'sessions' | 'log' | 'metrics'>,
    private readonly options: PlatformConfig['events'],
  ) {
    this.log = new EventLog(platform.db);
    this.presence = new Presence(platform.bus);
  }

  start(): void {
    const { bus } = this.platform;
    bus.onEvents((tenantId, cursor, events) => this.feeds.get(tenantId)?.notify(cursor, events));
    bus.onControl((message) =>
      this.feeds
        .get(message.tenantId)
        ?.refresh(message.kind === 'user' ? message.userId : undefined, message.cursor, message.meta === true),
    );
    bus.onReconnect(() => void this.catchUp());
    bus.onSignal((signal) => (signal.kind === 'presence' ? this.presence.receive(signal) : void this.notify(signal)));
    this.every(PRESENCE_HEARTBEAT_MS / 1000, () => this.presence.heartbeat());
    this.every(this.options.pingIntervalSeconds / HEARTBEAT_SLICES, () => this.heartbeat());
    this.every(this.options.catchUpSeconds, () => void this.catchUp());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const feed of this.feeds.values()) for (const subscriber of feed.subscribers) subscriber.close(CLOSE.goingAway, 'server stopping');
    this.feeds.clear();
  }

  /**
   * A socket that passed the handshake (token, origin) joins its tenant's feed; hello follows once the feed is
   * ready (once the replay has caught up, when the handshake asked for one with `after`). A user who already has
   * `events.maxSocketsPerUser` sockets on this node is refused with 4409.
   */
  join(socket: WebSocket, session: Session, token: TokenTimes, after?: number | SocketError): void {
    const tenantId = session.tenant.id;
    const userId = session.user.id;
    const open = this.perUser.get(userId) ?? 0;
    if (open >= this.options.maxSocketsPerUser) {
      socket.close(CLOSE.tooManySockets, `too many sockets for this user (at most ${this.options.maxSocketsPerUser})`);
      return;
    }
    this.perUser.set(userId, open + 1);
    let feed = this.feeds.get(tenantId);
    if (!feed) {
      const created = new TenantFeed(tenantId, {
        log: this.log,
        sessions: this.platform.sessions,
        onError: (error) => this.warn(error, tenantId),
        onFrame: () => this.stats.framesBuilt++,
        onLogRead: () => this.stats.logReads++,
        onDelivered: (lag) => this.platform.metrics.eventDelivered(lag),
      });
      // A feed that could not learn its position is dropped: the next socket tries again.
      created.ready.catch(() => {
        if (this.feeds.get(tenantId) === created) this.feeds.delete(tenantId);
      });
      this.feeds.set(tenantId, (feed = created));
    }
    const subscriber = new Subscriber(
      socket,
      session,
      feed,
      { maxBufferBytes: this.options.maxSocketBufferBytes },
      token,
      (error) => this.warn(error, tenantId),
      after,
    );
    feed.subscribers.add(subscriber);
    const joined = feed;
    subscriber.onPresence = (message) => void this.presenceFrame(joined, subscriber, message);
    socket.on('close', () => {
      this.presence.unwatch(subscriber);
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size === 0 && this.feeds.get(tenantId) === joined) this.feeds.delete(tenantId);
    });
  }

  /** Sockets open on this node. */
  get sockets(): number {
    let count = 0;
    for (const feed of this.feeds.values()) count += feed.subscribers.size;
    return count;
  }

  /** Asks, in one query, how far each tenant with sockets here has got, and wakes the feeds that are behind. */
  async catchUp(): Promise<void> {
    if (this.feeds.size === 0) return;
    try {
      const latest = await this.log.latest([...this.feeds.keys()]);
      for (const [tenantId, cursor] of latest) this.feeds.get(tenantId)?.notify(cursor);
    } catch (error) {
      this.warn(error);
    }
  }

  /**
   * A `watch` is admitted once the user may read the record (as a REST read would; `not_found` otherwise, and
   * the socket watches nothing), and `editing` must be a field they may read; `unwatch` leaves the record.
   */
  private async presenceFrame(feed: TenantFeed, subscriber: Subscriber, message: PresenceMessage): Promise<void> {
    const frame = (this.watchFrames.get(subscriber) ?? 0) + 1;
    this.watchFrames.set(subscriber, frame);
    if (message.type === 'unwatch') return this.presence.unwatch(subscriber);
    const { session } = subscriber;
    const model = session.schema.model(message.model);
    const refuse = (error: SocketError): void => {
      this.presence.unwatch(subscriber);
      subscriber.push(error.frame());
    };
    if (!model || !isUuid(message.id)) return refuse(new SocketError('not_found'));
    if (message.editing !== null && !permittedFields(session.ability, 'read', model).has(message.editing))
      return refuse(new SocketError('bad_watch'));
    const current = this.presence.watching(subscriber);
    if (current?.model !== model.id || current.id !== message.id) {
      let readable: boolean;
      try {
        const [result] = await this.platform.db.batch(session.tenant.id, [readableRecordsSql(session, model, [message.id])]);
        readable = result.rows.length === 1;
      } catch (error) {
        return this.warn(error, session.tenant.id);
      }
      if (this.watchFrames.get(subscriber) !== frame || !feed.subscribers.has(subscriber)) return;
      if (!readable) return refuse(new SocketError('not_found'));
    }
    this.presence.watch(subscriber, session.tenant.id, model.id, message.id, message.editing);
  }

  /**
   * New notifications of a user (or some read): their sockets here get each one they may read (see
   * readInbox) with the unread count, read once per distinct session.
   */
  private async notify(signal: Extract<SignalFrom, { kind: 'notification' }>): Promise<void> {
    const sockets = [...(this.feeds.get(signal.tenantId)?.subscribers ?? [])].filter((s) => s.userId === signal.userId);
    const bySession = new Map<Session, Subscriber[]>();
    for (const socket of sockets) bySession.set(socket.session, [...(bySession.get(socket.session) ?? []), socket]);
    for (const [session, receivers] of bySession) {
      try {
        const { data, unread } = await readInbox(this.platform.db, session, signal.ids);
        const frames =
          signal.ids.length === 0
            ? [JSON.stringify({ type: 'notification', unread })]
            : data.map((notification) => JSON.stringify({ type: 'notification', notification, unread }));
        for (const receiver of receivers) for (const frame of frames) receiver.push(frame);
      } catch (error) {
        this.warn(error, signal.tenantId);
      }
    }
  }

  /** One tick of the heartbeat: each socket is pinged, and each feed refreshed, once per `pingIntervalSeconds`. */
  private heartbeat(): void {
    const slice = this.beats.advance();
    let pinged = 0;
    for (const feed of this.feeds.values()) {
      for (const subscriber of feed.subscribers)
        if (this.beats.in(subscriber, slice)) {
          subscriber.heartbeat();
          pinged++;
        }
      if (this.beats.in(feed, slice)) feed.refresh();
    }
    this.stats.mostPingedInOneTick = Math.max(this.stats.mostPingedInOneTick, pinged);
  }

  private every(seconds: number, work: () => void): void {
    this.timers.push(setInterval(work, seconds * 1000).unref());
  }

  private warn(error: unknown, tenantId?: string): void {
    this.platform.log.warn({ err: error, tenantId }, 'realtime delivery failed');
  }
}
