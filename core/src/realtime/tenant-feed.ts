import { AtriumError } from '../kernel/errors.ts';
import type { Session, Sessions } from '../engine/tenancy/sessions.ts';
import { framesOf } from './event-frame.ts';
import type { EventLog, LoggedEvent } from '../engine/events/event-log.ts';
import { CLOSE, type FeedPosition, type Subscriber } from './subscriber.ts';

const PAGE = 500;
const META_CHANGED = JSON.stringify({ type: 'meta_changed' });

export interface FeedServices {
  log: EventLog;
  sessions: Sessions;
  onError(error: unknown): void;
  /** Counts frames computed (once per event per distinct viewer). */
  onFrame(): void;
  /** Counts reads of core_events (creations written on this node are handed over without one). */
  onLogRead(): void;
  /** An event goes out to the live sockets, this long after its write began. */
  onDelivered(lagSeconds: number): void;
}

/**
 * One tenant's events on this node, for the sockets of that tenant connected here. A notification
 * (from any node) only says "there are events up to n": the feed reads what it has not dispatched yet
 * from core_events, so a lost notification delays delivery until the next one or the next catch-up.
 *
 * Reads and session refreshes run one at a time, in order: an event read after a role change is judged
 * with the new abilities.
 */
export class TenantFeed implements FeedPosition {
  readonly subscribers = new Set<Subscriber>();
  readonly ready: Promise<void>;
  delivered = 0;
  private queue: Promise<void>;
  private fetchQueued = false;

  constructor(
    readonly tenantId: string,
    private readonly services: FeedServices,
  ) {
    // Sockets joining now start from the tenant's latest cursor; what they missed, they resume.
    this.ready = services.log.latest([tenantId]).then((latest) => {
      this.delivered = latest.get(tenantId) ?? 0;
    });
    this.queue = this.ready.catch(() => undefined);
  }

  get log(): EventLog {
    return this.services.log;
  }

  /**
   * The tenant has events up to `cursor` (unknown after a reconnect or on a catch-up); `events`: those a
   * write on this node committed, whole (see committed-events.ts).
   */
  notify(cursor?: number, events?: readonly LoggedEvent[]): void {
    if (cursor !== undefined && cursor <= this.delivered) return;
    if (events?.length) return this.enqueue(async () => this.take(events));
    if (this.fetchQueued) return;
    this.fetchQueued = true;
    this.enqueue(async () => {
      this.fetchQueued = false;
      await this.fetch();
    });
  }

  /**
   * Roles, modules or a user changed: sockets (of that user, or all) take their session anew. Events up
   * to `before` (written under the old state, see ControlMessage) are dispatched first, judged as before.
   * When the tenant's meta changed, every socket is told so once it holds the new session.
   */
  refresh(userId?: string, before?: number, metaChanged = false): void {
    this.enqueue(async () => {
      if (before !== undefined && before > this.delivered) await this.fetch(before);
      const users = new Set([...this.subscribers].map((s) => s.userId).filter((id) => !userId || id === userId));
      await Promise.all([...users].map((id) => this.refreshUser(id)));
      // The tenant's /api/meta changed (a view patch, a custom field): the shell reloads it and redraws what is open.
      if (metaChanged) for (const subscriber of this.subscribers) subscriber.push(META_CHANGED);
    });
  }

  /**
   * One resolve per token issue time of the user (sockets opened with the same token share it), one after
   * the other so that only the first goes to the database. A socket whose token was revoked by a logout,
   * or whose user was deactivated, is closed with 4401; every socket of a suspended tenant with 4403.
   */
  private async refreshUser(userId: string): Promise<void> {
    const sockets = [...this.subscribers].filter((s) => s.userId === userId);
    for (const issuedAt of new Set(sockets.map((s) => s.token.issuedAt))) {
      let session: Session | undefined;
      let refused: AtriumError | undefined;
      try {
        session = await this.services.sessions.resolve(this.tenantId, userId, issuedAt);
      } catch (error) {
        if (!(error instanceof AtriumError && (error.statusCode === 401 || error.code === 'tenant_suspended'))) throw error;
        refused = error;
      }
      for (const subscriber of sockets) {
        if (subscriber.token.issuedAt !== issuedAt) continue;
        if (session) subscriber.update(session);
        else if (refused?.code === 'tenant_suspended') subscriber.close(CLOSE.suspended, 'tenant suspended');
        else subscriber.close(CLOSE.unauthorized, 'unauthorized');
      }
    }
  }

  /**
   * A write's events, handed over by the writer: dispatched as they are when they follow the last one
   * delivered, with no read of core_events; after a gap (another node's write, or one of this node still in
   * the queue), read from the log with what came between, so the order stays the cursors' order.
   */
  private async take(events: readonly LoggedEvent[]): Promise<void> {
    const fresh = events.filter((event) => event.seq > this.delivered);
    if (fresh.length === 0) return;
    if (fresh.every((event, i) => event.seq === this.delivered + 1 + i)) this.dispatch(fresh);
    else await this.fetch();
  }

  /** Reads every event after `delivered` (up to `upTo`) and hands each to every live socket, page by page. */
  private async fetch(upTo = Infinity): Promise<void> {
    for (;;) {
      this.services.onLogRead();
      const { events } = await this.services.log.after(this.tenantId, this.delivered, PAGE);
      const due = events.filter((event) => event.seq <= upTo);
      this.dispatch(due);
      if (due.length < PAGE) return;
    }
  }

  private dispatch(events: readonly LoggedEvent[]): void {
    for (const event of events) {
      const frameFor = framesOf(event, this.services.onFrame);
      for (const subscriber of this.subscribers) subscriber.offer(event, frameFor);
      this.services.onDelivered(event.ageSeconds);
      this.delivered = event.seq;
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error) => this.services.onError(error));
  }
}
