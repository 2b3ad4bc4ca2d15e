import { createHash, randomBytes } from 'node:crypto';
import { sql, type Sql } from '../../store/sql.ts';
import type { Database } from '../../store/database.ts';
import { insertMailSql } from '../mail/mail-outbox.ts';

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface VerificationMail {
  tenantId: string;
  user: { id: string; name: string; email: string };
  company: string;
  /** The shell's address the link opens (`<origin>/verify-email?token=…`). */
  origin: string;
}

/**
 * The statements that send a user the link confirming their email address: a new token (only its hash is
 * kept; an earlier link stops working) and the mail in the outbox, written in the caller's transaction as the
 * owner. Without SMTP the mail waits in the tenant's mail catcher (/admin/mails).
 */
export function verificationMailSql({ tenantId, user, company, origin }: VerificationMail): Sql[] {
  const token = randomBytes(32).toString('base64url');
  const link = `${origin}/verify-email?token=${token}`;
  return [
    sql`UPDATE core_users SET email_verification_hash = ${hashOf(token)} WHERE tenant_id = ${tenantId}::uuid AND id = ${user.id}::uuid`,
    insertMailSql({
      tenantId,
      model: 'core.user',
      recordId: user.id,
      createdBy: user.id,
      to: [user.email],
      subject: `Confirm your email address for ${company}`,
      body: `Hello ${user.name},\n\nPlease confirm your email address by opening this link:\n${link}\n\nIf you did not sign up for ${company} on Atrium, ignore this mail.`,
    }),
  ];
}

/** Confirms the address whose link carried `token`; the user, or undefined when no pending link matches. */
export async function confirmEmail(db: Database, token: string): Promise<{ tenant_id: string; id: string } | undefined> {
  const [confirmed] = await db.system<{ tenant_id: string; id: string }>(
    sql`UPDATE core_users SET email_verified_at = now(), email_verification_hash = NULL
      WHERE email_verification_hash = ${hashOf(token)} RETURNING tenant_id, id`,
  );
  return confirmed;
}
