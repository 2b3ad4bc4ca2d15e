/**
 * What the engine tells the other nodes, and its own sockets, after a commit. The transports (PostgreSQL
 * LISTEN/NOTIFY, NATS, in-process for PGlite) live in realtime/.
 */
export interface ControlMessage {
  /** tenant: its modules, roles or settings changed; user: one user changed (roles, active). */
  kind: 'tenant' | 'user';
  tenantId: string;
  userId?: string;
  /**
   * Events up to this cursor were written under the state before the change: sockets get them judged as
   * before (a write acknowledged just before a module was switched off is still announced), later ones
   * with the new state.
   */
  cursor?: number;
  /** tenant: what its /api/meta says changed (a view patch, a custom field): its sockets are sent `meta_changed`. */
  meta?: boolean;
}

export interface Bus {
  /**
   * A transaction of the tenant committed events up to this cursor: this node's sockets hear at once, the
   * other nodes soon after (an announcement lost on the way only delays them until their next catch-up).
   */
  committed(tenantId: string, cursor: number): void;
  control(message: ControlMessage): Promise<void>;
  onEvents(handler: (tenantId: string, cursor: number) => void): void;
  onControl(handler: (message: ControlMessage) => void): void;
  /** Becomes true when the listener reconnects after a loss (events may have been missed meanwhile). */
  onReconnect(handler: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
