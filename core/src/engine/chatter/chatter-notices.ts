import type { Transaction } from '../../store/database.ts';
import { notify, type Announcer } from '../notifications/notify.ts';
import type { NotificationKind } from '@atrium/protocol';
import type { ChatterTarget, PostedMessage, ScheduledActivity } from './chatter-writes.ts';

/**
 * Who a chatter write tells, in its transaction (engine/notifications/notify.ts): the same for a user's
 * request and for an automation acting as the system (`actorId` null), so both notify alike.
 */
function tell(
  tx: Transaction,
  announcer: Announcer,
  target: ChatterTarget,
  actorId: string | null,
  kind: NotificationKind,
  users: string[],
  body: string,
) {
  for (const userId of users)
    notify(tx, announcer, { tenantId: target.tenantId, userId, kind, model: target.model.id, recordId: target.recordId, actorId, body });
}

/** A posted message: its mentioned users, then (a message, not a note) the record's other followers. */
export function notifyPosted(tx: Transaction, announcer: Announcer, target: ChatterTarget, actorId: string | null, posted: PostedMessage) {
  const body = plainText(String(posted.entry.body ?? ''));
  tell(tx, announcer, target, actorId, 'mention', posted.notify.mentioned, body);
  tell(tx, announcer, target, actorId, 'message', posted.notify.followers, body);
}

/** A scheduled activity: its assignee, unless they scheduled it themself. */
export function notifyScheduled(
  tx: Transaction,
  announcer: Announcer,
  target: ChatterTarget,
  actorId: string | null,
  scheduled: ScheduledActivity,
) {
  const assigned = scheduled.notify.assigned ? [scheduled.notify.assigned] : [];
  tell(tx, announcer, target, actorId, 'activity', assigned, String(scheduled.activity.summary).slice(0, 200));
}

/** A message's text for a notification: mentions as "@Name", at most 200 characters. */
const plainText = (body: string): string => body.replace(/@\[([^\]]*)\]\(user:[0-9a-f-]{36}\)/g, '@$1').slice(0, 200);
