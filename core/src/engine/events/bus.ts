import type { PresenceUser } from '@atrium/protocol';
import type { LoggedEvent } from './event-log.ts';

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

/**
 * Small messages for sockets, whichever node holds them; a lost one is not replayed (an inbox is read again
 * over REST, presence is sent again by every node's heartbeat).
 * notification: new rows of a user's inbox committed (none: some were marked read). presence: who watches a
 * record on the sending node (all of them; an empty list when the last left).
 */
export type Signal =
  | { kind: 'notification'; tenantId: string; userId: string; ids: string[] }
  | { kind: 'presence'; tenantId: string; model: string; id: string; users: PresenceUser[] };

/** A signal as handlers get it: stamped with the node that sent it. */
export type SignalFrom = Signal & { node: string };

export interface Bus {
  /**
   * A transaction of the tenant committed events up to this cursor: this node's sockets hear at once, the
   * other nodes soon after (an announcement lost on the way only delays them until their next catch-up).
   * `events`: the transaction's events themselves, when the writer has them whole (see committed-events.ts):
   * this node's sockets then get them without reading core_events; the other nodes read them.
   */
  committed(tenantId: string, cursor: number, events?: readonly LoggedEvent[]): void;
  control(message: ControlMessage): Promise<void>;
  onEvents(handler: (tenantId: string, cursor: number, events?: readonly LoggedEvent[]) => void): void;
  onControl(handler: (message: ControlMessage) => void): void;
  /** Becomes true when the listener reconnects after a loss (events may have been missed meanwhile). */
  onReconnect(handler: () => void): void;
  /** This node's id, stamped on the signals it sends. */
  readonly node: string;
  /** To this node's handlers at once, then to the other nodes (each gets it once). */
  signal(message: Signal): void;
  onSignal(handler: (message: SignalFrom) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
