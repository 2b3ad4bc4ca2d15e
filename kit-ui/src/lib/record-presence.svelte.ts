import type { PresenceUser } from '@atrium/protocol';
import { liveSocket } from './live-socket.svelte';

/**
 * Who else has this record open, and which field each is editing: the tab watches the record while the
 * form shows it, and says which field has the focus (docs/api.md, "Presence").
 */
export class RecordPresence {
  users = $state<PresenceUser[]>([]);
  private editing: string | null = null;

  constructor(
    private readonly model: string,
    private readonly id: string,
    private readonly me: string,
  ) {}

  /** Watches the record; returns the function that stops watching. */
  follow(): () => void {
    liveSocket.watch(this.model, this.id);
    const stop = liveSocket.onPresence((frame) => {
      if (frame.model === this.model && frame.id === this.id) this.users = frame.users;
    });
    return () => {
      stop();
      liveSocket.unwatch(this.model, this.id);
    };
  }

  get others(): PresenceUser[] {
    return this.users.filter((u) => u.id !== this.me);
  }

  /** The others editing this field. */
  editingField(field: string): PresenceUser[] {
    return this.others.filter((u) => u.editing && u.field === field);
  }

  /** The field that has the focus here now (null: none). */
  focus(field: string | null): void {
    if (field === this.editing) return;
    this.editing = field;
    liveSocket.watch(this.model, this.id, field);
  }
}
