import { randomUUID } from 'node:crypto';
import { AtriumError } from '../../kernel/errors.ts';
import type { OutgoingMail } from '../../kernel/module-api.ts';
import { sql, type Sql } from '../../store/sql.ts';

// What an address must look like to be queued (SMTP judges it for real).
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

export interface QueuedMail extends Omit<OutgoingMail, 'report'> {
  tenantId: string;
  model: string;
  recordId: string;
  createdBy: string | null;
  attachment?: { name: string; content: Buffer };
}

/** The recipients, checked: at least one, each an address (409 naming the bad one otherwise). */
export function checkRecipients(to: string[]): void {
  if (to.length === 0) throw AtriumError.conflict('This mail has no recipient');
  const bad = to.find((address) => !ADDRESS.test(address));
  if (bad !== undefined) throw AtriumError.conflict(`"${bad}" is not an email address`);
}

/** The outbox row of a mail, written in the transaction of the write that sends it. */
export function insertMailSql(mail: QueuedMail): Sql {
  return sql`INSERT INTO core_mails (tenant_id, id, model, record_id, recipients, subject, body, attachment_name, attachment, on_accepted, created_by)
    VALUES (${mail.tenantId}::uuid, ${randomUUID()}::uuid, ${mail.model}, ${mail.recordId}::uuid, ${mail.to}::text[], ${mail.subject}, ${mail.body},
      ${mail.attachment?.name ?? null}, ${mail.attachment?.content ?? null}::bytea, ${mail.onAccepted ? JSON.stringify(mail.onAccepted) : null}::jsonb, ${mail.createdBy}::uuid)`;
}
