import { randomUUID } from 'node:crypto';
import { AtriumError } from '../../kernel/errors.ts';
import { isCalendarDate } from '../../kernel/field-types/date.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Transaction } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';
import { chatterEventSql, followSql } from './chatter-sql.ts';
import { mentionedUserIds } from './mentions.ts';

/**
 * Writes of the chatter as plain functions inside a caller's transaction (a route's, or an automation's):
 * each validates its input (400 naming the field), writes its rows and the record's `chatter` event, and
 * answers who is to be notified. The caller checks that the user may read the record, commits, and tells
 * the bus the cursor (a writer's own commit announces a later one anyway).
 */
export interface ChatterTarget {
  tenantId: string;
  model: ModelDef;
  recordId: string;
}

/** Who writes (null: the core, an automation) and the request it serves. */
export interface ChatterActor {
  userId: string | null;
  requestId?: string | null;
}

export type TimelineEntry = Record<string, unknown>;

export const MESSAGE_KINDS = ['message', 'note'] as const;
export const ACTIVITY_TYPES = ['todo', 'call', 'email', 'meeting'] as const;
const MAX_BODY = 20_000;
const MAX_SUMMARY = 500;

export interface MessageInput {
  kind: (typeof MESSAGE_KINDS)[number];
  body: string;
  /** Ids of files uploaded to this record by the author and not yet sent with a message. */
  attachments?: string[];
}

export interface PostedMessage {
  entry: TimelineEntry;
  cursor: number;
  /**
   * Users to notify (the notifications' business, not this one's): `mentioned`, the users the body
   * mentions; `followers`, for a message (not a note), the record's other followers. The author is in neither.
   * Whoever notifies must still show a user only what they may read.
   */
  notify: { mentioned: string[]; followers: string[] };
}

export interface ActivityInput {
  type: string;
  summary: string;
  due: string;
  assigned_to: string;
}

export interface ScheduledActivity {
  activity: TimelineEntry;
  entry: TimelineEntry;
  cursor: number;
  /** The user to notify of the assignment: the assignee, unless they scheduled it themselves. */
  notify: { assigned: string | null };
}

/** Active users of the tenant among `ids`. */
async function tenantUsers(tx: Transaction, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.rows<{ id: string }>(
    sql`SELECT id FROM core_users WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[]) AND active`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Writes the message of kind `activity` (or the given message), then its event; answers the entry and cursor. */
async function withEvent(
  tx: Transaction,
  target: ChatterTarget,
  actor: ChatterActor,
  messageId: string,
  statements: ReturnType<typeof sql>[],
): Promise<{ entry: TimelineEntry; cursor: number }> {
  const results = await tx.query(
    ...statements,
    chatterEventSql({ ...target, messageId, actor: actor.userId, requestId: actor.requestId ?? null }),
  );
  const row = results.at(-1)!.rows[0] as { seq: string; entry: TimelineEntry };
  return { entry: row.entry, cursor: Number(row.seq) };
}

/** Posts a message or an internal note on the record; the author and the mentioned users follow it from then on. */
export async function postMessage(
  tx: Transaction,
  target: ChatterTarget,
  actor: ChatterActor,
  input: MessageInput,
): Promise<PostedMessage> {
  const { tenantId, model, recordId } = target;
  if (!(MESSAGE_KINDS as readonly string[]).includes(input.kind)) throw AtriumError.invalidField('kind', 'enum', 'must be message or note');
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  const attachments = input.attachments ?? [];
  if (body.length > MAX_BODY) throw AtriumError.invalidField('body', 'maxLength', `must be at most ${MAX_BODY} characters`);
  if (!body && attachments.length === 0) throw AtriumError.invalidField('body', 'required', 'is required (or attach a file)');
  if (body.includes('\u0000')) throw AtriumError.invalidField('body', 'nul', 'must not contain a NUL character');
  const mentioned = mentionedUserIds(body);
  const known = await tenantUsers(tx, tenantId, mentioned);
  const stranger = mentioned.find((id) => !known.has(id));
  if (stranger) throw AtriumError.invalidField('body', 'mention', `mentions someone who is not a user of this company (${stranger})`);
  if (attachments.length > 0) {
    const free = await tx.rows<{ id: string }>(sql`SELECT id FROM core_attachments WHERE tenant_id = ${tenantId}::uuid
      AND id = ANY(${attachments}::uuid[]) AND model = ${model.id} AND record_id = ${recordId}::uuid AND message_id IS NULL
      AND created_by IS NOT DISTINCT FROM ${actor.userId}::uuid`);
    const ids = new Set(free.map((r) => r.id));
    const index = attachments.findIndex((id) => !ids.has(id));
    if (index >= 0) throw AtriumError.invalidField(`attachments.${index}`, 'attachment', 'is not a file you uploaded to this record');
  }
  const id = randomUUID();
  const followers =
    input.kind === 'message'
      ? await tx.rows<{ user_id: string }>(sql`SELECT user_id FROM core_followers
          WHERE tenant_id = ${tenantId}::uuid AND model = ${model.id} AND record_id = ${recordId}::uuid`)
      : [];
  const { entry, cursor } = await withEvent(tx, target, actor, id, [
    sql`INSERT INTO core_messages (tenant_id, id, model, record_id, kind, body, mentions, author_id)
      VALUES (${tenantId}::uuid, ${id}::uuid, ${model.id}, ${recordId}::uuid, ${input.kind}, ${body}, ${mentioned}::uuid[], ${actor.userId}::uuid)`,
    sql`UPDATE core_attachments SET message_id = ${id}::uuid WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${attachments}::uuid[])`,
    followSql(tenantId, model.id, recordId, [...(actor.userId ? [actor.userId] : []), ...mentioned]),
  ]);
  const others = (userId: string) => userId !== actor.userId;
  return {
    entry,
    cursor,
    notify: {
      mentioned: mentioned.filter(others),
      followers: followers.map((f) => f.user_id).filter((u) => others(u) && !mentioned.includes(u)),
    },
  };
}

/** Schedules an activity on the record for a user of the tenant; its scheduling joins the timeline. */
export async function scheduleActivity(
  tx: Transaction,
  target: ChatterTarget,
  actor: ChatterActor,
  input: ActivityInput,
): Promise<ScheduledActivity> {
  const { tenantId, model, recordId } = target;
  if (!(ACTIVITY_TYPES as readonly string[]).includes(input.type))
    throw AtriumError.invalidField('type', 'enum', `must be one of ${ACTIVITY_TYPES.join(', ')}`);
  const summary = typeof input.summary === 'string' ? input.summary.trim() : '';
  if (!summary) throw AtriumError.invalidField('summary', 'required', 'is required');
  if (summary.length > MAX_SUMMARY) throw AtriumError.invalidField('summary', 'maxLength', `must be at most ${MAX_SUMMARY} characters`);
  if (summary.includes('\u0000')) throw AtriumError.invalidField('summary', 'nul', 'must not contain a NUL character');
  if (typeof input.due !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input.due) || !isCalendarDate(input.due))
    throw AtriumError.invalidField('due', 'format', 'must be a date, YYYY-MM-DD');
  const assignee = typeof input.assigned_to === 'string' ? input.assigned_to.toLowerCase() : '';
  if (!/^[0-9a-f-]{36}$/.test(assignee) || !(await tenantUsers(tx, tenantId, [assignee])).has(assignee))
    throw AtriumError.invalidField('assigned_to', 'user', 'must be an active user of this company');
  const id = randomUUID();
  const messageId = randomUUID();
  const { entry, cursor } = await withEvent(tx, target, actor, messageId, [
    // Already due: its assignee is told now (or scheduled it themself), not again when the day comes (activity-due.ts).
    sql`INSERT INTO core_activities (tenant_id, id, model, record_id, type, summary, due, assigned_to, created_by, due_notified_at)
      VALUES (${tenantId}::uuid, ${id}::uuid, ${model.id}, ${recordId}::uuid, ${input.type}, ${summary}, ${input.due}::date, ${assignee}::uuid,
        ${actor.userId}::uuid, CASE WHEN ${input.due}::date <= current_date THEN now() END)`,
    activityMessageSql(target, actor, messageId, id, 'scheduled'),
  ]);
  return { activity: entry.activity as TimelineEntry, entry, cursor, notify: { assigned: assignee === actor.userId ? null : assignee } };
}

/** Marks the record's open activity done (404 when the record has no such activity, 409 when it is done already). */
export async function markActivityDone(
  tx: Transaction,
  target: ChatterTarget,
  actor: ChatterActor,
  activityId: string,
): Promise<{ activity: TimelineEntry; entry: TimelineEntry; cursor: number }> {
  const { tenantId, model, recordId } = target;
  const [found] = await tx.rows<{ done: boolean }>(sql`SELECT done_at IS NOT NULL AS done FROM core_activities
    WHERE tenant_id = ${tenantId}::uuid AND id = ${activityId}::uuid AND model = ${model.id} AND record_id = ${recordId}::uuid FOR UPDATE`);
  if (!found) throw AtriumError.notFound();
  if (found.done) throw AtriumError.conflict('This activity is done already');
  const messageId = randomUUID();
  const { entry, cursor } = await withEvent(tx, target, actor, messageId, [
    sql`UPDATE core_activities SET done_at = now(), done_by = ${actor.userId}::uuid WHERE tenant_id = ${tenantId}::uuid AND id = ${activityId}::uuid`,
    activityMessageSql(target, actor, messageId, activityId, 'done'),
  ]);
  return { activity: entry.activity as TimelineEntry, entry, cursor };
}

function activityMessageSql(target: ChatterTarget, actor: ChatterActor, id: string, activityId: string, change: 'scheduled' | 'done') {
  return sql`INSERT INTO core_messages (tenant_id, id, model, record_id, kind, body, activity_id, activity_change, author_id)
    VALUES (${target.tenantId}::uuid, ${id}::uuid, ${target.model.id}, ${target.recordId}::uuid, 'activity', '', ${activityId}::uuid, ${change}, ${actor.userId}::uuid)`;
}
