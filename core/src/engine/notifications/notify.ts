import { randomUUID } from 'node:crypto';
import type { Transaction } from '../../store/database.ts';
import { raw, sql, type Sql } from '../../store/sql.ts';
import type { Signal } from '../events/bus.ts';
import type { NotificationKind } from '@atrium/protocol';

/** Where the after-commit signal goes: the bus, or a record scope's event sink (which may tell no one). */
export interface Announcer {
  signal?(message: Signal): void;
}

export interface Notice {
  tenantId: string;
  /** Who is told: a user of the tenant (an unknown or deactivated one is skipped, not refused). */
  userId: string;
  kind: NotificationKind;
  model: string;
  recordId: string;
  /** Who caused it (null: the core); never told of their own doing. */
  actorId: string | null;
  body?: string;
}

/**
 * The statement that puts one notification in a user's inbox, only while `onlyIf` holds (say, the record's
 * assignee was someone else before the write that runs next), the user is an active user of the tenant and
 * not the one who caused it. Written in the caller's transaction: it commits, or nothing is told.
 */
function noticeSql(id: string, notice: Notice, onlyIf: Sql = raw('TRUE')): Sql {
  return sql`INSERT INTO core_notifications (tenant_id, id, user_id, kind, model, record_id, actor_id, body)
    SELECT u.tenant_id, ${id}::uuid, u.id, ${notice.kind}, ${notice.model}, ${notice.recordId}::uuid, ${notice.actorId}::uuid, ${notice.body ?? null}
    FROM core_users u WHERE u.tenant_id = ${notice.tenantId}::uuid AND u.id = ${notice.userId}::uuid AND u.active
      AND u.id IS DISTINCT FROM ${notice.actorId}::uuid AND ${onlyIf}`;
}

/** Once `tx` has committed, the user's sockets (on every node) are told of these new notifications. */
function announceAfterCommit(tx: Transaction, announcer: Announcer, notice: Notice, ids: string[]): void {
  tx.afterCommit(() => announcer.signal?.({ kind: 'notification', tenantId: notice.tenantId, userId: notice.userId, ids }));
}

/**
 * Notifies a user inside the caller's transaction (sent with its next statement, see Transaction.defer), and
 * live after commit. Whether the user may read the record is judged whenever it is shown or mailed (see
 * inbox.ts), so a notification never outlives the right to read its record. Nothing at all for the actor
 * themselves (a user creating a lead they hold): no statement, no signal to every node.
 */
export function notify(tx: Transaction, announcer: Announcer, notice: Notice, onlyIf?: Sql): void {
  if (notice.userId === notice.actorId) return;
  const id = randomUUID();
  tx.defer(noticeSql(id, notice, onlyIf));
  announceAfterCommit(tx, announcer, notice, [id]);
}
