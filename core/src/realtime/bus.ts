import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { EVENTS_CHANNEL } from '../engine/events/outbox.ts';
import type { Bus, ControlMessage, Signal, SignalFrom } from '../engine/events/bus.ts';
import type { LoggedEvent } from '../engine/events/event-log.ts';

/** Tells every node that something changed: new events of a tenant, or cached state to drop. */
export const CONTROL_CHANNEL = 'atrium_control';
/** Carries signals (notifications, presence) between nodes. */
export const SIGNAL_CHANNEL = 'atrium_signal';

const EVENTS_PAYLOAD = /^([0-9a-f-]{36}):(\d{1,15})$/;

/** The handlers every bus keeps; payloads from the wire are checked, and a malformed one is dropped. */
export class Handlers {
  readonly emitter = new EventEmitter().setMaxListeners(0);
  readonly node = randomUUID();
  onEvents(handler: (tenantId: string, cursor: number, events?: readonly LoggedEvent[]) => void): void {
    this.emitter.on('events', handler);
  }
  onControl(handler: (message: ControlMessage) => void): void {
    this.emitter.on('control', handler);
  }
  onReconnect(handler: () => void): void {
    this.emitter.on('reconnect', handler);
  }
  onSignal(handler: (message: SignalFrom) => void): void {
    this.emitter.on('signal', handler);
  }
  /** Stamped with this node, handled here at once; returns the payload for the other nodes. */
  protected stamped(message: Signal): string {
    const from: SignalFrom = { ...message, node: this.node };
    this.emitter.emit('signal', from);
    return JSON.stringify(from);
  }
  /**
   * A signal from the wire: this node's own (LISTEN hears its own NOTIFY) was handled when sent; of the others
   * only the shape is checked (nodes trust each other; clients never reach the bus).
   */
  emitSignal(payload: string): void {
    let message: Partial<SignalFrom> | null;
    try {
      message = JSON.parse(payload) as Partial<SignalFrom> | null;
    } catch {
      return;
    }
    const valid =
      (message?.kind === 'notification' || message?.kind === 'presence') &&
      typeof message.tenantId === 'string' &&
      typeof message.node === 'string';
    if (valid && message!.node !== this.node) this.emitter.emit('signal', message);
  }
  /** `<tenantId>:<cursor>`, as the outbox's NOTIFY sends it. */
  emitEvents(payload: string): void {
    const match = EVENTS_PAYLOAD.exec(payload);
    if (match) this.emitter.emit('events', match[1], Number(match[2]));
  }
  emitControl(payload: string): void {
    let message: Partial<ControlMessage> | null;
    try {
      message = JSON.parse(payload) as Partial<ControlMessage> | null;
    } catch {
      return;
    }
    const valid =
      (message?.kind === 'tenant' || message?.kind === 'user') &&
      typeof message.tenantId === 'string' &&
      ['undefined', 'string'].includes(typeof message.userId) &&
      (message.cursor === undefined || Number.isSafeInteger(message.cursor)) &&
      ['undefined', 'boolean'].includes(typeof message.meta);
    if (valid) this.emitter.emit('control', message);
  }
}

/** One process (embedded PGlite is single-node by nature): notifications are in-process calls. */
export class LocalBus extends Handlers implements Bus {
  committed(tenantId: string, cursor: number, events?: readonly LoggedEvent[]): void {
    this.emitter.emit('events', tenantId, cursor, events);
  }
  async control(message: ControlMessage): Promise<void> {
    this.emitter.emit('control', message);
  }
  signal(message: Signal): void {
    this.stamped(message);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * Several nodes on one PostgreSQL: every node LISTENs on a dedicated connection, reconnecting with
 * back-off when it is lost.
 *
 * A commit is announced after COMMIT, not inside the transaction: a NOTIFY in a transaction takes a
 * database-wide lock at commit, which made every write of every tenant commit one at a time. This node's
 * sockets hear at once; the other nodes get one NOTIFY statement for whatever committed meanwhile (the
 * latest cursor per tenant), with at most one such statement at a time on the pool. Like a NATS message,
 * an announcement can be lost (the node dies right after COMMIT, the connection drops): the other nodes
 * then read the events at their next catch-up from core_events (see Hub), so delivery is delayed, never lost.
 */
export class PostgresBus extends Handlers implements Bus {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** Cursors not announced yet, per tenant, and whether an announcement is on its way. */
  private pending = new Map<string, number>();
  private announcing = false;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly onError: (error: Error) => void,
  ) {
    super();
  }

  committed(tenantId: string, cursor: number, events?: readonly LoggedEvent[]): void {
    this.emitter.emit('events', tenantId, cursor, events);
    this.pending.set(tenantId, Math.max(cursor, this.pending.get(tenantId) ?? 0));
    if (!this.announcing) {
      this.announcing = true;
      setImmediate(() => void this.announce());
    }
  }

  private async announce(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const payloads = [...this.pending].map(([tenantId, cursor]) => `${tenantId}:${cursor}`);
      this.pending = new Map();
      try {
        await this.pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', p) FROM unnest($1::text[]) p`, [payloads]);
      } catch (error) {
        this.onError(error as Error); // the other nodes catch up
      }
    }
    this.announcing = false;
  }

  /** Applied on this node at once (the next request here must see it), then sent to the others. */
  async control(message: ControlMessage): Promise<void> {
    this.emitter.emit('control', message);
    await this.pool.query('SELECT pg_notify($1, $2)', [CONTROL_CHANNEL, JSON.stringify(message)]);
  }

  /** Applied here at once; sent to the others on the pool (a failure is only logged: presence's heartbeat repeats it). */
  signal(message: Signal): void {
    this.pool.query('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, this.stamped(message)]).catch((error: Error) => this.onError(error));
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  private async connect(reconnecting: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === EVENTS_CHANNEL && n.payload) this.emitEvents(n.payload);
      if (n.channel === CONTROL_CHANNEL && n.payload) this.emitControl(n.payload);
      if (n.channel === SIGNAL_CHANNEL && n.payload) this.emitSignal(n.payload);
    });
    // Only the current connection's loss matters (an old one may end late, after a reconnect).
    client.on('error', (error) => {
      if (client !== this.client) return;
      this.onError(error);
      this.scheduleReconnect();
    });
    client.on('end', () => {
      if (client === this.client) this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${CONTROL_CHANNEL}; LISTEN ${SIGNAL_CHANNEL}`);
    this.client = client;
    if (reconnecting) this.emitter.emit('reconnect');
  }

  private scheduleReconnect(delay = 500): void {
    if (this.stopped || this.retry) return;
    this.client = undefined;
    this.retry = setTimeout(async () => {
      this.retry = undefined;
      try {
        await this.connect(true);
      } catch (error) {
        this.onError(error as Error);
        this.scheduleReconnect(Math.min(delay * 2, 5000));
      }
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
