import type { PresenceUser } from '@atrium/protocol';
import type { Bus, SignalFrom } from '../engine/events/bus.ts';
import type { Subscriber } from './subscriber.ts';

/** What one socket watches: a record of its tenant, and the field it is editing, if any. */
interface Watch {
  key: string;
  tenantId: string;
  model: string;
  id: string;
  field: string | null;
}

/** Every node says again who watches what this often; what another node said lapses after PRESENCE_TTL_MS. */
export const PRESENCE_HEARTBEAT_MS = 5_000;
export const PRESENCE_TTL_MS = 15_000;
/** A record's presence names at most this many users per node (a NOTIFY payload is at most 8000 bytes). */
const MAX_USERS = 40;

const keyOf = (tenantId: string, model: string, id: string): string => `${tenantId}|${model}|${id}`;

/**
 * Who has which record open, on every node. This node keeps its own sockets' watches and tells the other
 * nodes (a `presence` signal on the bus) whenever a record's watchers change, and again at every heartbeat;
 * what another node said lapses unless repeated, so a node that dies drops out within PRESENCE_TTL_MS.
 * Each change sends the record's watchers here the merged list (`presence` frame). A socket is admitted as a
 * watcher only after the hub checked that its user may read the record (see Hub.watch).
 */
export class Presence {
  private readonly local = new Map<Subscriber, Watch>();
  /** key → node → what that node said, and until when it holds. */
  private readonly remote = new Map<string, Map<string, { users: PresenceUser[]; until: number }>>();

  constructor(private readonly bus: Pick<Bus, 'signal' | 'node'>) {}

  /** The record this socket watches, now (it watches one at a time: the form it shows). */
  watching(subscriber: Subscriber): Watch | undefined {
    return this.local.get(subscriber);
  }

  watch(subscriber: Subscriber, tenantId: string, model: string, id: string, field: string | null): void {
    const before = this.local.get(subscriber);
    const watch = { key: keyOf(tenantId, model, id), tenantId, model, id, field };
    this.local.set(subscriber, watch);
    if (before && before.key !== watch.key) this.changed(before);
    this.changed(watch);
  }

  unwatch(subscriber: Subscriber): void {
    const watch = this.local.get(subscriber);
    if (!watch) return;
    this.local.delete(subscriber);
    this.changed(watch);
  }

  /** Another node's watchers of a record (this node's own signals come back too: they are known already). */
  receive(signal: Extract<SignalFrom, { kind: 'presence' }>): void {
    if (signal.node === this.bus.node) return;
    const key = keyOf(signal.tenantId, signal.model, signal.id);
    let nodes = this.remote.get(key);
    if (signal.users.length === 0) nodes?.delete(signal.node);
    else {
      if (!nodes) this.remote.set(key, (nodes = new Map()));
      nodes.set(signal.node, { users: signal.users, until: Date.now() + PRESENCE_TTL_MS });
    }
    if (nodes?.size === 0) this.remote.delete(key);
    this.push(key);
  }

  /** Repeats this node's watches to the others, and drops what the others stopped repeating. */
  heartbeat(): void {
    const announced = new Set<string>();
    for (const watch of this.local.values()) {
      if (announced.has(watch.key)) continue;
      announced.add(watch.key);
      this.announce(watch);
    }
    const now = Date.now();
    for (const [key, nodes] of this.remote) {
      const before = nodes.size;
      for (const [node, said] of nodes) if (said.until < now) nodes.delete(node);
      if (nodes.size === 0) this.remote.delete(key);
      if (nodes.size !== before) this.push(key);
    }
  }

  private changed(watch: Watch): void {
    this.announce(watch);
    this.push(watch.key);
  }

  private announce({ key, tenantId, model, id }: Watch): void {
    this.bus.signal({ kind: 'presence', tenantId, model, id, users: this.localUsers(key) });
  }

  /** This node's watchers of a record, one entry per user (editing if any of their sockets is). */
  private localUsers(key: string): PresenceUser[] {
    const users = new Map<string, PresenceUser>();
    for (const [subscriber, watch] of this.local) {
      if (watch.key !== key) continue;
      const { id, name } = subscriber.session.user;
      const known = users.get(id);
      if (known?.editing) continue;
      if (!known && users.size >= MAX_USERS) continue;
      users.set(id, watch.field ? { id, name, editing: true, field: watch.field } : { id, name, editing: false });
    }
    return [...users.values()];
  }

  /** Sends the record's watchers on this node everyone watching it, on any node. */
  private push(key: string): void {
    const watchers = [...this.local].filter(([, watch]) => watch.key === key);
    if (watchers.length === 0) return;
    const users = new Map(this.localUsers(key).map((u) => [u.id, u]));
    for (const said of this.remote.get(key)?.values() ?? [])
      for (const user of said.users) if (!users.get(user.id)?.editing) users.set(user.id, user);
    const { model, id } = watchers[0][1];
    const frame = JSON.stringify({ type: 'presence', model, id, users: [...users.values()] });
    for (const [subscriber] of watchers) subscriber.push(frame);
  }
}
