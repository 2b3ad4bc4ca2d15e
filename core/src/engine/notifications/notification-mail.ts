import { AtriumError } from '../../kernel/errors.ts';
import { sql } from '../../store/sql.ts';
import { PollingLoop, type PassResult } from '../events/polling-loop.ts';
import { insertMailSql } from '../mail/mail-outbox.ts';
import type { Platform } from '../platform.ts';
import { readNotifications } from './inbox.ts';

interface Due {
  tenant_id: string;
  user_id: string;
  ids: string[];
}

/** Users looked at per pass; a full pass runs again at once. */
const USERS_PER_PASS = 50;

/**
 * Mails each notification its user has not read within `notifications.emailAfterMinutes`, once, through
 * the mail outbox (core_mails, delivered by MailDelivery). Every node runs it; a notification is claimed
 * (FOR UPDATE SKIP LOCKED, `emailed_at` set) in the same transaction that queues its mail, so two nodes never
 * mail it twice and a crash mails it later or not at all, never twice. A notification whose record the user
 * may no longer read (or of a deactivated user) is claimed without a mail.
 */
export class NotificationMail extends PollingLoop {
  constructor(private readonly platform: Platform) {
    super('notification mail', platform.log, platform.config.mail.pollSeconds * 1000);
  }

  /** One pass over the users with mail due now (none while `emailAfterMinutes` is 0: never); `mailed`: the mails it queued. */
  async pass(): Promise<PassResult & { mailed: number }> {
    const minutes = this.platform.config.notifications.emailAfterMinutes;
    if (minutes <= 0) return { handled: 0, batch: USERS_PER_PASS, mailed: 0 };
    const due = await this.platform.db.system<Due>(sql`SELECT tenant_id, user_id, array_agg(id) AS ids FROM core_notifications
      WHERE read_at IS NULL AND emailed_at IS NULL AND created_at <= now() - ${minutes} * interval '1 minute'
      GROUP BY tenant_id, user_id LIMIT ${USERS_PER_PASS}`);
    let mailed = 0;
    for (const user of due) mailed += await this.mailUser(user);
    if (mailed > 0) this.platform.mail.wake();
    return { handled: due.length, batch: USERS_PER_PASS, mailed };
  }

  private async mailUser({ tenant_id: tenantId, user_id: userId, ids }: Due): Promise<number> {
    const session = await this.platform.sessions.resolve(tenantId, userId, Date.now()).catch((error: unknown) => {
      if (error instanceof AtriumError && error.statusCode === 401) return null; // deactivated: claimed, never mailed
      throw error;
    });
    return this.platform.db.transaction(tenantId, async (tx) => {
      const claimed = await tx.rows<{ id: string }>(sql`UPDATE core_notifications SET emailed_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND id IN (SELECT id FROM core_notifications WHERE tenant_id = ${tenantId}::uuid
          AND id = ANY(${ids}::uuid[]) AND read_at IS NULL AND emailed_at IS NULL FOR UPDATE SKIP LOCKED)
        RETURNING id`);
      if (!session || claimed.length === 0) return 0;
      const mailed = await readNotifications(tx, session, sql`n.id = ANY(${claimed.map((c) => c.id)}::uuid[])`, claimed.length);
      if (mailed.length > 0)
        await tx.query(
          ...mailed.map((n) =>
            insertMailSql({
              tenantId,
              model: n.model,
              recordId: n.record.id,
              createdBy: null,
              to: [session.user.email],
              subject: n.title,
              body: `${n.title}${n.body ? `\n\n${n.body}` : ''}\n\nOpen it in Atrium: /r/${n.model}/${n.record.id}`,
            }),
          ),
        );
      return mailed.length;
    });
  }
}
