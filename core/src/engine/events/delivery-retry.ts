import { ident, sql, type Sql } from '../../store/sql.ts';

/**
 * What the outboxes delivered after commit (core_mails, core_webhook_deliveries) share: a pass claims due
 * rows with FOR UPDATE SKIP LOCKED (no two nodes deliver the same row at once) and leases them while it
 * delivers; a refused attempt is retried with doubling delays, and after the last one the row is given up.
 */
export type Outbox = 'core_mails' | 'core_webhook_deliveries';

/** Rows claimed per pass. */
export const DELIVERY_BATCH = 10;
// A claimed row is leased for this long: if its node dies while delivering, another node retries it after.
const LEASE = '5 minutes';
const MAX_DELAY_SECONDS = 3600;

/** `SET` of a claim: the attempt counted, the row leased. `alias`: the outbox's in the UPDATE. */
export const claimSetSql = (alias: string): Sql =>
  sql`attempts = ${ident(alias)}.attempts + 1, next_attempt_at = now() + ${LEASE}::interval`;

/** The due rows of every tenant (`tenant_id, id`), locked for this claim: a FROM item named `due`. */
export const dueRowsSql = (outbox: Outbox): Sql => sql`(SELECT tenant_id, id FROM ${ident(outbox)}
  WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ${DELIVERY_BATCH} FOR UPDATE SKIP LOCKED) due`;

/** After a refused attempt: pending again after a doubling delay (an hour at most), or `gaveUp` from the last attempt on. */
export function refusedSql(
  outbox: Outbox,
  row: { tenant_id: string; id: string; attempts: number },
  reason: string,
  retry: { seconds: number; maxAttempts: number; gaveUp: 'failed' | 'dead' },
): Sql {
  const delay = Math.min(retry.seconds * 2 ** (row.attempts - 1), MAX_DELAY_SECONDS);
  return sql`UPDATE ${ident(outbox)} SET last_error = ${reason.slice(0, 1000)},
      status = CASE WHEN attempts >= ${retry.maxAttempts} THEN ${retry.gaveUp} ELSE 'pending' END, next_attempt_at = now() + ${delay} * interval '1 second'
    WHERE tenant_id = ${row.tenant_id}::uuid AND id = ${row.id}::uuid`;
}
