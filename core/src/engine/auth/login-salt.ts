import type { Database } from '../../store/database.ts';
import { sql, type Sql } from '../../store/sql.ts';
import { saltOf } from './password.ts';

async function saltOfEmail(db: Database, email: Sql): Promise<Buffer | undefined> {
  const [row] = await db.system<{ password_hash: string }>(
    sql`SELECT password_hash FROM core_users WHERE email = (${email}) ORDER BY created_at, id LIMIT 1`,
  );
  return row ? saltOf(row.password_hash) : undefined;
}

/**
 * The salt for a new password of `email`: the one its oldest account already uses, in any company, so that
 * a login checks all of the email's accounts with one derivation (password.ts, verifyPasswords); none (a
 * random one) for a new email. Read as the owner: the runtime role never reads password hashes.
 */
export const loginSalt = (db: Database, email: string): Promise<Buffer | undefined> => saltOfEmail(db, sql`${email.toLowerCase()}`);

/** The same for an existing user whose password changes. */
export const loginSaltOfUser = (db: Database, tenantId: string, userId: string): Promise<Buffer | undefined> =>
  saltOfEmail(db, sql`SELECT email FROM core_users WHERE tenant_id = ${tenantId}::uuid AND id = ${userId}::uuid`);
