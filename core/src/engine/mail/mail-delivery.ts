import { AtriumError } from '../../kernel/errors.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';
import { tenantSystemScope } from '../tenancy/tenant-system-scope.ts';
import { TenantRecordsInTransaction } from '../records/tenant-records.ts';
import { WriteUnit } from '../records/write-unit.ts';
import type { MailTransport } from './mail-transport.ts';
import { PollingLoop, type PassResult } from '../events/polling-loop.ts';
import { claimSetSql, DELIVERY_BATCH, dueRowsSql, refusedSql } from '../events/delivery-retry.ts';

interface DueMail {
  tenant_id: string;
  id: string;
  model: string | null;
  record_id: string | null;
  recipients: string[];
  subject: string;
  body: string;
  attachment_name: string | null;
  attachment: Buffer | null;
  on_accepted: RecordData | null;
  attempts: number;
  tenant_name: string;
}

/**
 * Delivers the outbox's mail after commit, on every node: each claims due rows with FOR UPDATE SKIP
 * LOCKED (no two nodes send the same mail), leasing them while it sends; a refusal is retried with
 * doubling delays, then marked failed. Once a mail is accepted — by SMTP, or without SMTP by the mail
 * catcher, which keeps it for the tenant admin — its `on_accepted` values are written on its record.
 */
export class MailDelivery extends PollingLoop {
  constructor(
    private readonly platform: Platform,
    /** null: no SMTP configured, mail is caught. */
    private readonly transport: MailTransport | null,
  ) {
    super('mail delivery', platform.log, platform.config.mail.pollSeconds * 1000);
  }

  async pass(): Promise<PassResult> {
    const due = await this.claim();
    for (const mail of due) await this.deliver(mail);
    return { handled: due.length, batch: DELIVERY_BATCH };
  }

  /** Due rows of every tenant (as the owner role), leased in the same statement. */
  private claim(): Promise<DueMail[]> {
    return this.platform.db.system<DueMail>(sql`UPDATE core_mails m SET ${claimSetSql('m')}
      FROM ${dueRowsSql('core_mails')}, core_tenants t
      WHERE m.tenant_id = due.tenant_id AND m.id = due.id AND t.id = m.tenant_id
      RETURNING m.tenant_id, m.id, m.model, m.record_id, m.recipients, m.subject, m.body, m.attachment_name, m.attachment, m.on_accepted, m.attempts, t.name AS tenant_name`);
  }

  private async deliver(mail: DueMail): Promise<void> {
    if (this.transport) {
      try {
        await this.transport({
          from: `"${mail.tenant_name.replace(/["\\]/g, '')}" <${this.platform.config.mail.from}>`,
          to: mail.recipients,
          subject: mail.subject,
          body: mail.body,
          attachment: mail.attachment_name && mail.attachment ? { name: mail.attachment_name, content: mail.attachment } : null,
        });
      } catch (error) {
        await this.refused(mail, (error as Error).message);
        return;
      }
    }
    await this.accepted(mail, this.transport ? 'sent' : 'caught');
  }

  private async refused(mail: DueMail, reason: string): Promise<void> {
    const { retrySeconds, maxAttempts } = this.platform.config.mail;
    this.platform.log.warn({ tenant: mail.tenant_id, mail: mail.id, attempts: mail.attempts, reason }, 'mail refused');
    await this.platform.db.batch(mail.tenant_id, [
      refusedSql('core_mails', mail, reason, { seconds: retrySeconds, maxAttempts, gaveUp: 'failed' }),
    ]);
  }

  /** The mail's status and its record's `on_accepted` values, in one tenant transaction with the record's event. */
  private async accepted(mail: DueMail, status: 'sent' | 'caught'): Promise<void> {
    const markDelivered = sql`UPDATE core_mails SET status = ${status}, delivered_at = now(), last_error = NULL
      WHERE tenant_id = ${mail.tenant_id}::uuid AND id = ${mail.id}::uuid`;
    await this.platform.db.transaction(mail.tenant_id, async (tx) => {
      const records = new TenantRecordsInTransaction(await tenantSystemScope(this.platform, tx, mail.tenant_id), new WriteUnit(tx));
      if (mail.model && mail.record_id && mail.on_accepted) {
        try {
          await records.update(mail.model, mail.record_id, mail.on_accepted);
        } catch (error) {
          // The record moved on meanwhile (a confirmed order is not set back to sent), or is gone: the mail still went.
          if (!(error instanceof AtriumError && error.statusCode < 500)) throw error;
          this.platform.log.info(
            { tenant: mail.tenant_id, mail: mail.id, reason: error.message },
            'mail accepted; its record was left as it is',
          );
        }
      }
      await records.commit(markDelivered);
    });
  }
}
