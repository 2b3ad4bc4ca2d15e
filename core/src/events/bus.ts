import { EventEmitter } from 'node:events';
import pg from 'pg';
import { EVENTS_CHANNEL } from './outbox.ts';

/** Tells every node that something changed: new events of a tenant, or cached state to drop. */
export const CONTROL_CHANNEL = 'atrium_control';

export interface ControlMessage {
  /** tenant: its modules, roles or settings changed; user: one user changed (roles, active). */
  kind: 'tenant' | 'user';
  tenantId: string;
  userId?: string;
}

export interface Bus {
  /** Whether a write's NOTIFY travels inside its transaction (PostgreSQL), else `committed` carries it. */
  readonly notifyInTransaction: boolean;
  /** A transaction of the tenant committed events up to this cursor. */
  committed(tenantId: string, cursor: number): void;
  control(message: ControlMessage): Promise<void>;
  onEvents(handler: (tenantId: string, cursor: number) => void): void;
  onControl(handler: (message: ControlMessage) => void): void;
  /** Becomes true when the listener reconnects after a loss (events may have been missed meanwhile). */
  onReconnect(handler: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const EVENTS_PAYLOAD = /^([0-9a-f-]{36}):(\d{1,15})$/;

/** The handlers every bus keeps; payloads from the wire are checked, and a malformed one is dropped. */
export class Handlers {
  readonly emitter = new EventEmitter().setMaxListeners(0);
  onEvents(handler: (tenantId: string, cursor: number) => void): void {
    this.emitter.on('events', handler);
  }
  onControl(handler: (message: ControlMessage) => void): void {
    this.emitter.on('control', handler);
  }
  onReconnect(handler: () => void): void {
    this.emitter.on('reconnect', handler);
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
    const valid = (message?.kind === 'tenant' || message?.kind === 'user') && typeof message.tenantId === 'string' && ['undefined', 'string'].includes(typeof message.userId);
    if (valid) this.emitter.emit('control', message);
  }
}

/** One process (embedded PGlite is single-node by nature): notifications are in-process calls. */
export class LocalBus extends Handlers implements Bus {
  readonly notifyInTransaction = false;
  committed(tenantId: string, cursor: number): void {
    this.emitter.emit('events', tenantId, cursor);
  }
  async control(message: ControlMessage): Promise<void> {
    this.emitter.emit('control', message);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * Several nodes on one PostgreSQL: writes NOTIFY inside their transaction (delivered only on commit),
 * and every node LISTENs on a dedicated connection, reconnecting with back-off when it is lost.
 */
export class PostgresBus extends Handlers implements Bus {
  readonly notifyInTransaction = true;
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly onError: (error: Error) => void,
  ) {
    super();
  }

  committed(): void {}

  /** Applied on this node at once (the next request here must see it), then sent to the others. */
  async control(message: ControlMessage): Promise<void> {
    this.emitter.emit('control', message);
    await this.pool.query('SELECT pg_notify($1, $2)', [CONTROL_CHANNEL, JSON.stringify(message)]);
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  private async connect(reconnecting: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === EVENTS_CHANNEL && n.payload) this.emitEvents(n.payload);
      if (n.channel === CONTROL_CHANNEL && n.payload) this.emitControl(n.payload);
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
    await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${CONTROL_CHANNEL}`);
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
