import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Database, Transaction } from '../../store/database.ts';
import { raw, sql, type Sql } from '../../store/sql.ts';
import { readableRecordsSql } from '../records/readable-records.ts';
import type { Session } from '../tenancy/sessions.ts';
import type { Inbox, NotificationKind, NotificationView } from '@atrium/protocol';

interface StoredNotification {
  id: string;
  kind: NotificationKind;
  model: string;
  record_id: string;
  actor: { id: string; display: string } | null;
  body: string | null;
  read: boolean;
  created_at: string;
}

/** The inbox lists this many, newest first; the unread count looks at this many unread at most. */
export const INBOX_PAGE = 50;
const UNREAD_SCAN = 1000;

const WHAT: Record<NotificationKind, string> = {
  assigned: 'assigned you',
  mention: 'mentioned you on',
  message: 'wrote on',
  activity: 'scheduled an activity for you on',
  activity_due: 'An activity is due on',
};

function titleOf(n: StoredNotification, model: ModelDef, display: string | null): string {
  const record = `${model.label} ${display ?? ''}`.trim();
  if (n.kind === 'activity_due') return `${WHAT[n.kind]} ${record}`;
  return `${n.actor?.display ?? 'Atrium'} ${WHAT[n.kind]} ${record}`;
}

const storedSql = (session: Session, where: Sql, limit: number): Sql => sql`SELECT n.id, n.kind, n.model, n.record_id, n.body,
    n.read_at IS NOT NULL AS read, n.created_at, CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'display', u.name) END AS actor
  FROM core_notifications n LEFT JOIN core_users u ON u.tenant_id = n.tenant_id AND u.id = n.actor_id
  WHERE n.tenant_id = ${session.tenant.id}::uuid AND n.user_id = ${session.user.id}::uuid AND ${where}
  ORDER BY n.created_at DESC, n.id LIMIT ${limit}`;

/** Keeps the notifications whose record the session may read, titled; in one round trip. */
async function readable(tx: Transaction, session: Session, stored: StoredNotification[]): Promise<NotificationView[]> {
  const byModel = new Map<ModelDef, string[]>();
  for (const n of stored) {
    const model = session.schema.model(n.model);
    if (model) byModel.set(model, [...(byModel.get(model) ?? []), n.record_id]);
  }
  if (byModel.size === 0) return [];
  const models = [...byModel.keys()];
  const results = await tx.query(...models.map((model) => readableRecordsSql(session, model, [...new Set(byModel.get(model))])));
  const displays = new Map<string, string | null>();
  results.forEach((result, i) => {
    for (const row of result.rows as { id: string; display: string | null }[]) displays.set(`${models[i].id}:${row.id}`, row.display);
  });
  return stored.flatMap((n) => {
    const key = `${n.model}:${n.record_id}`;
    if (!displays.has(key)) return [];
    const display = displays.get(key)!;
    const { record_id, ...rest } = n;
    return [{ ...rest, record: { id: record_id, display }, title: titleOf(n, session.schema.model(n.model)!, display) }];
  });
}

/** The session's notifications matching `where` (at most `limit`, newest first) whose record it may read, titled. */
export async function readNotifications(tx: Transaction, session: Session, where: Sql, limit = INBOX_PAGE): Promise<NotificationView[]> {
  const [stored] = await tx.query(storedSql(session, where, limit));
  return readable(tx, session, stored.rows as StoredNotification[]);
}

/** The user's newest notifications (or those among `ids`) and their unread count, as the session may read them. */
export async function readInbox(db: Database, session: Session, ids?: string[]): Promise<Inbox> {
  return db.transaction(session.tenant.id, async (tx) => {
    const data = await readNotifications(tx, session, ids ? sql`n.id = ANY(${ids}::uuid[])` : raw('TRUE'));
    const unread = await readNotifications(tx, session, sql`n.read_at IS NULL`, UNREAD_SCAN);
    return { data, unread: unread.length };
  });
}

/** Marks the user's own notifications among `ids` read (others' ids are ignored). */
export async function markRead(db: Database, session: Session, ids: string[]): Promise<void> {
  await db.batch(session.tenant.id, [
    sql`UPDATE core_notifications SET read_at = now() WHERE tenant_id = ${session.tenant.id}::uuid AND user_id = ${session.user.id}::uuid
      AND id = ANY(${ids}::uuid[]) AND read_at IS NULL`,
  ]);
}
