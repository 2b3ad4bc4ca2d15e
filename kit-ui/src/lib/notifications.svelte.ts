import type { NotificationView } from '@atrium/protocol';
import { answer, client } from './api-client';
import { liveSocket } from './live-socket.svelte';

/** Where a notification leads: its record, opened by the `/r/MODEL/ID` route in the view its model has. */
export const notificationHref = (n: NotificationView): string => `/r/${encodeURIComponent(n.model)}/${encodeURIComponent(n.record.id)}`;

/** The signed-in user's inbox: loaded once, then kept live by the socket's `notification` frames. */
class Notifications {
  items = $state<NotificationView[]>([]);
  unread = $state(0);

  /** Loads the inbox and follows the socket; returns the function that stops following. */
  follow(): () => void {
    void this.load();
    return liveSocket.onNotification((frame) => {
      this.unread = frame.unread;
      const added = frame.notification;
      if (added) this.items = [added, ...this.items.filter((n) => n.id !== added.id)];
    });
  }

  async load(): Promise<void> {
    const inbox = await answer(client.GET('/api/notifications'));
    this.items = inbox.data;
    this.unread = inbox.unread;
  }

  async markRead(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { unread } = await answer(client.POST('/api/notifications/read', { body: { ids } }));
    this.unread = unread;
    this.items = this.items.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n));
  }
}

export const notifications = new Notifications();
