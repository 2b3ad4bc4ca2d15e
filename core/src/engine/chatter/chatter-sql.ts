import { ident, prepared, sql, type Sql } from '../../store/sql.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';

/** A timestamp as JavaScript's toISOString writes it, so that entries of every source sort and compare alike. */
export const isoSql = (column: Sql): Sql => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `{id, display}` of a user column (null when the column is). */
const userRefSql = (tenant: Sql, column: Sql): Sql =>
  sql`(SELECT json_build_object('id', u.id, 'display', u.name) FROM core_users u WHERE u.tenant_id = ${tenant} AND u.id = ${column})`;

/**
 * An activity (aliased `v`) as the API shows it. `state`: done, overdue (due before today), today or
 * planned; days are UTC days, as every transaction runs in UTC.
 */
export const activityJsonSql = sql`json_build_object('id', v.id, 'model', v.model, 'record_id', v.record_id, 'type', v.type,
  'summary', v.summary, 'due', to_char(v.due, 'YYYY-MM-DD'),
  'assigned_to', ${userRefSql(sql`v.tenant_id`, sql`v.assigned_to`)}, 'created_by', ${userRefSql(sql`v.tenant_id`, sql`v.created_by`)},
  'created_at', ${isoSql(sql`v.created_at`)}, 'done_at', ${isoSql(sql`v.done_at`)}, 'done_by', ${userRefSql(sql`v.tenant_id`, sql`v.done_by`)},
  'state', CASE WHEN v.done_at IS NOT NULL THEN 'done' WHEN v.due < current_date THEN 'overdue' WHEN v.due = current_date THEN 'today' ELSE 'planned' END)`;

/** A message (aliased `m`) as a timeline entry: its author, mentions, attachments and, for an activity's change, the activity. */
export const messageEntrySql = sql`json_build_object('kind', m.kind, 'id', m.id, 'at', ${isoSql(sql`m.created_at`)},
  'author', ${userRefSql(sql`m.tenant_id`, sql`m.author_id`)}, 'body', m.body,
  'mentions', coalesce((SELECT json_agg(json_build_object('id', u.id, 'display', u.name) ORDER BY u.name) FROM core_users u
    WHERE u.tenant_id = m.tenant_id AND u.id = ANY(m.mentions)), '[]'::json),
  'attachments', coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'mime_type', f.mime_type, 'size', f.size) ORDER BY f.created_at, f.id)
    FROM core_attachments f WHERE f.tenant_id = m.tenant_id AND f.message_id = m.id), '[]'::json),
  'activity', (SELECT ${activityJsonSql} FROM core_activities v WHERE v.tenant_id = m.tenant_id AND v.id = m.activity_id),
  'activity_change', m.activity_change)`;

/**
 * The chatter event of a message: an event of its record (op `chatter`, the entry in `changes`, the record's
 * current version, no snapshot), with the next cursor of the tenant. The hub judges it on the record's last
 * snapshot (see realtime/event-frame.ts), so it reaches exactly those who may read the record.
 */
export function chatterEventSql(e: {
  tenantId: string;
  model: ModelDef;
  recordId: string;
  messageId: string;
  actor: string | null;
  requestId: string | null;
}): Sql {
  return sql`WITH s AS (UPDATE core_event_cursors SET last = last + 1 WHERE tenant_id = ${e.tenantId}::uuid RETURNING last)
    INSERT INTO core_events (tenant_id, seq, model, record_id, op, version, actor, changes, record, request_id)
    SELECT ${e.tenantId}::uuid, s.last, ${e.model.id}, ${e.recordId}::uuid, 'chatter',
      (SELECT a.version FROM ${ident(e.model.table)} a WHERE a.tenant_id = ${e.tenantId}::uuid AND a.id = ${e.recordId}::uuid),
      ${e.actor}::uuid, (SELECT ${messageEntrySql} FROM core_messages m WHERE m.tenant_id = ${e.tenantId}::uuid AND m.id = ${e.messageId}::uuid)::jsonb,
      NULL, ${e.requestId}::text
    FROM s RETURNING seq, changes AS entry`;
}

/** The users follow the record (nothing happens for those who already do). Prepared: every create of a model with a chatter sends it. */
export const followSql = (tenantId: string, model: string, recordId: string, userIds: string[]): Sql =>
  prepared(sql`INSERT INTO core_followers (tenant_id, model, record_id, user_id)
    SELECT ${tenantId}::uuid, ${model}::text, ${recordId}::uuid, u FROM unnest(${userIds}::uuid[]) u ON CONFLICT DO NOTHING`);
