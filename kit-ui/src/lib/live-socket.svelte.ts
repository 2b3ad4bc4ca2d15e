import type { NotificationFrame, PresenceFrame, RecordEvent } from '@atrium/protocol';
import type { ChatterFrame } from './chatter-api';
import { NewestVersions } from './record-versions';

type Status = 'offline' | 'connecting' | 'live';

/** Cursors are decimal strings that grow within a tenant. */
const isAfter = (a: string, b: string): boolean => (a.length !== b.length ? a.length > b.length : a > b);

/** Recently delivered cursors, so that a replay overlapping what was already seen shows nothing twice. */
const SEEN_LIMIT = 2000;

/**
 * The tab's one websocket (`/api/ws?token=`), shared by every view. It remembers the last cursor it has
 * seen; after a lost connection it reconnects with back-off and `after=` that cursor, so the server replays
 * what was missed before any live event. `resync_required` tells the views to reload what they show. As a
 * second line of defence, an event older than one already handed over for its record is dropped.
 */
class LiveSocket {
  status = $state<Status>('offline');
  private socket: WebSocket | null = null;
  private token: string | null = null;
  private cursor: string | null = null;
  /** Where the current socket started: after a resync the server goes on from there. */
  private helloCursor: string | null = null;
  private readonly seen = new Set<string>();
  private readonly versions = new NewestVersions();
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly recordListeners = new Set<(event: RecordEvent) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly moduleListeners = new Set<(enabled: string[]) => void>();
  private readonly notificationListeners = new Set<(frame: NotificationFrame) => void>();
  private readonly presenceListeners = new Set<(frame: PresenceFrame) => void>();
  /** The record this tab has open (a form), said again to every new socket once it is live. */
  private watching: { model: string; id: string; editing: string | null } | null = null;
  private readonly chatterListeners = new Set<(frame: ChatterFrame) => void>();
  private onExpired: () => void = () => {};

  start(token: string, onExpired: () => void): void {
    this.stop();
    this.token = token;
    this.onExpired = onExpired;
    this.open();
  }

  /**
   * A fresh token (the old one would expire): the socket reconnects with it and resumes where it was,
   * so nothing is missed, rather than being closed (4401) when the old token runs out.
   */
  renew(token: string): void {
    this.token = token;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    clearTimeout(this.retry);
    this.open();
  }

  stop(): void {
    this.token = null;
    this.cursor = null;
    this.seen.clear();
    this.versions.clear();
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.status = 'offline';
  }

  onRecord(listener: (event: RecordEvent) => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** A record's timeline gained an entry (a message, a note, an activity scheduled or done). */
  onChatter(listener: (frame: ChatterFrame) => void): () => void {
    this.chatterListeners.add(listener);
    return () => this.chatterListeners.delete(listener);
  }

  onModules(listener: (enabled: string[]) => void): () => void {
    this.moduleListeners.add(listener);
    return () => this.moduleListeners.delete(listener);
  }

  onNotification(listener: (frame: NotificationFrame) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  onPresence(listener: (frame: PresenceFrame) => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  /** This tab shows the record (and edits `editing`, a field): the server tells its other viewers (presence). */
  watch(model: string, id: string, editing: string | null = null): void {
    this.watching = { model, id, editing };
    this.sendLive({ type: 'watch', ...this.watching });
  }

  /** The tab no longer shows the record (nothing happens if it has another open since). */
  unwatch(model: string, id: string): void {
    if (this.watching?.model !== model || this.watching.id !== id) return;
    this.watching = null;
    this.sendLive({ type: 'unwatch' });
  }

  /** Sent only once live: a socket not live yet says what the tab watches when it is (see hello). */
  private sendLive(frame: object): void {
    if (this.status === 'live' && this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private open(): void {
    if (!this.token) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const after = this.cursor === null ? '' : `&after=${this.cursor}`;
    const socket = new WebSocket(`${scheme}://${location.host}/api/ws?token=${encodeURIComponent(this.token)}${after}`);
    this.socket = socket;
    this.status = 'connecting';
    socket.onmessage = (message) => {
      if (socket === this.socket) this.receive(JSON.parse(String(message.data)));
    };
    socket.onclose = (close) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.status = 'offline';
      if (close.code === 4401) return this.onExpired();
      this.attempts++;
      this.retry = setTimeout(() => this.open(), Math.min(500 * 2 ** (this.attempts - 1), 10_000));
    };
  }

  private receive(message: { type: string; [key: string]: unknown }): void {
    switch (message.type) {
      case 'hello':
        this.attempts = 0;
        this.status = 'live';
        // Where the socket stands: the live position, after the replay of what followed the after= it was given.
        this.helloCursor = String(message.cursor);
        this.cursor = this.helloCursor;
        if (this.watching) this.sendLive({ type: 'watch', ...this.watching });
        break;
      case 'notification':
        for (const listener of this.notificationListeners) listener(message as unknown as NotificationFrame);
        break;
      case 'presence':
        for (const listener of this.presenceListeners) listener(message as unknown as PresenceFrame);
        break;
      case 'event':
        this.deliver(message as unknown as RecordEvent);
        break;
      case 'chatter':
        if (this.see(String(message.cursor))) for (const listener of this.chatterListeners) listener(message as unknown as ChatterFrame);
        break;
      case 'modules':
        for (const listener of this.moduleListeners) listener(message.enabled as string[]);
        break;
      case 'resync_required':
        this.resync();
        break;
      case 'error':
        if (message.code === 'bad_cursor') this.resync();
        break;
    }
  }

  /** A cursor not seen yet: remembered, and the socket's position moves to it. */
  private see(cursor: string): boolean {
    if (this.seen.has(cursor)) return false;
    this.seen.add(cursor);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!);
    if (this.cursor === null || isAfter(cursor, this.cursor)) this.cursor = cursor;
    return true;
  }

  private deliver(event: RecordEvent): void {
    if (!this.see(event.cursor)) return;
    if (!this.versions.admit(event)) return;
    for (const listener of this.recordListeners) listener(event);
  }

  private resync(): void {
    this.cursor = this.helloCursor;
    for (const listener of this.resyncListeners) listener();
  }
}

export const liveSocket = new LiveSocket();
