/** What the core and the shell share about notifications and presence (docs/api.md, "Notifications", "Presence"). */

export type NotificationKind = 'assigned' | 'mention' | 'message' | 'activity' | 'activity_due';

/** One notification as `GET /api/notifications` and the `notification` frame carry it. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  model: string;
  record: { id: string; display: string | null };
  actor: { id: string; display: string } | null;
  body: string | null;
  /** One line for the bell and the mail's subject: "Sally assigned you Lead Acme". */
  title: string;
  read: boolean;
  created_at: string;
}

/** `GET /api/notifications`: the newest first, and the unread count. */
export interface Inbox {
  data: NotificationView[];
  unread: number;
}

/** One user on a record: `field` is the field they are editing, if any. */
export interface PresenceUser {
  id: string;
  name: string;
  editing: boolean;
  field?: string;
}

/** Frames of the socket about them: a new notification (absent when some were marked read), and who watches a record. */
export type NotificationFrame = { type: 'notification'; notification?: NotificationView; unread: number };
export type PresenceFrame = { type: 'presence'; model: string; id: string; users: PresenceUser[] };
