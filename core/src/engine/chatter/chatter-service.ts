import { randomUUID } from 'node:crypto';
import { AtriumError } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { Transaction } from '../../store/database.ts';
import { ident, join, raw, sql, type Sql } from '../../store/sql.ts';
import { readableEverywhere } from '../rbac/field-mask.ts';
import { RecordContext, type RecordScope } from '../records/record-context.ts';
import { RecordReader } from '../records/record-reader.ts';
import { checkedAttachmentType } from './attachment-types.ts';
import { notifyPosted, notifyScheduled } from './chatter-notices.ts';
import { activityJsonSql, followSql, messageEntrySql } from './chatter-sql.ts';
import {
  markActivityDone,
  postMessage,
  scheduleActivity,
  type ActivityInput,
  type ChatterTarget,
  type MessageInput,
  type PostedMessage,
  type ScheduledActivity,
  type TimelineEntry,
} from './chatter-writes.ts';

/** The newest this many messages (and changes) make a record's timeline. */
const TIMELINE_LIMIT = 200;

/**
 * The chatter of a record as the request's user sees it (docs/api.md, "Chatter and activities"). Whatever
 * is attached to a record — messages, files, followers, activities — is shown only to a user who may read
 * that record now: every read joins the record under the user's read rule, every write first finds the
 * record as the user.
 */
export class Chatter {
  private readonly ctx: RecordContext;
  private readonly reader: RecordReader;

  constructor(private readonly scope: RecordScope) {
    this.ctx = new RecordContext(scope);
    this.reader = new RecordReader(this.ctx);
  }

  private get tenantId(): string {
    return this.scope.tenant.id;
  }

  private get userId(): string | null {
    return this.scope.user?.id ?? null;
  }

  /** A model with a chatter, which the user may read some records of (404 / 403 otherwise). */
  private chatterModel(modelId: string): ModelDef {
    const model = this.reader.readableModel(modelId);
    if (!model.chatter) throw AtriumError.notFound(`${model.label} records have no chatter`);
    return model;
  }

  /** In a transaction: the record exists and the user may read it (404 otherwise); its chatter's coordinates. */
  private async readable(tx: Transaction, modelId: string, id: string): Promise<ChatterTarget> {
    const model = this.chatterModel(modelId);
    if (!(await this.reader.findStored(model, id, tx, false))) throw AtriumError.notFound();
    return { tenantId: this.tenantId, model, recordId: id };
  }

  private transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.scope.db.transaction(this.tenantId, work);
  }

  /** After commit: this node's sockets and the other nodes learn of the chatter event. */
  private announce<T extends { cursor: number }>(written: T): T {
    this.scope.events.committed(this.tenantId, written.cursor);
    return written;
  }

  private get actor() {
    return { userId: this.userId, requestId: this.scope.requestId ?? null };
  }

  /** Messages, notes, activity changes and the record's history, newest first. */
  async timeline(modelId: string, id: string): Promise<{ data: TimelineEntry[] }> {
    const model = this.chatterModel(modelId);
    const history = await this.reader.history(model.id, id);
    const [messages] = await this.scope.db.batch(this.tenantId, [
      sql`SELECT ${messageEntrySql} AS entry FROM core_messages m
        WHERE m.tenant_id = ${this.tenantId}::uuid AND m.model = ${model.id} AND m.record_id = ${id}::uuid
        ORDER BY m.created_at DESC, m.id DESC LIMIT ${TIMELINE_LIMIT}`,
    ]);
    const changes = history.data.map((change) => ({
      kind: 'change',
      id: change.cursor,
      at: new Date(change.at as string).toISOString(),
      author: change.actor,
      op: change.op,
      changes: change.changes,
      ...(change.previous ? { previous: change.previous } : {}),
    }));
    const entries = [...messages.rows.map((row) => row.entry as TimelineEntry), ...changes];
    entries.sort((a, b) => String(b.at).localeCompare(String(a.at)));
    return { data: entries.slice(0, TIMELINE_LIMIT) };
  }

  /** Mentioned users, then (for a message) the record's other followers, are notified in the same transaction. */
  async post(modelId: string, id: string, input: MessageInput): Promise<PostedMessage> {
    return this.announce(
      await this.transaction(async (tx) => {
        const target = await this.readable(tx, modelId, id);
        const posted = await postMessage(tx, target, this.actor, input);
        notifyPosted(tx, this.scope.events, target, this.userId, posted);
        return posted;
      }),
    );
  }

  async followers(modelId: string, id: string, change?: 'follow' | 'unfollow'): Promise<{ data: TimelineEntry[]; following: boolean }> {
    return this.transaction(async (tx) => {
      const { model } = await this.readable(tx, modelId, id);
      const me = this.userId;
      if (change === 'follow' && me) await tx.query(followSql(this.tenantId, model.id, id, [me]));
      if (change === 'unfollow' && me)
        await tx.query(sql`DELETE FROM core_followers WHERE tenant_id = ${this.tenantId}::uuid AND model = ${model.id}
          AND record_id = ${id}::uuid AND user_id = ${me}::uuid`);
      const rows = await tx.rows<{ id: string; display: string }>(sql`SELECT u.id, u.name AS display FROM core_followers f
        JOIN core_users u ON u.tenant_id = f.tenant_id AND u.id = f.user_id
        WHERE f.tenant_id = ${this.tenantId}::uuid AND f.model = ${model.id} AND f.record_id = ${id}::uuid ORDER BY u.name, u.id`);
      return { data: rows, following: rows.some((r) => r.id === me) };
    });
  }

  /** Keeps an uploaded file on the record, to be sent with the uploader's next message. */
  async upload(modelId: string, id: string, file: { name: unknown; type: string | undefined; content: Buffer }): Promise<TimelineEntry> {
    const name = typeof file.name === 'string' ? file.name.trim() : '';
    if (!name || name.length > 255 || /[/\\]/.test(name) || [...name].some((c) => c < ' '))
      throw AtriumError.invalidField('name', 'format', 'must be a file name of 1 to 255 characters, without slashes');
    const type = checkedAttachmentType(file.type, file.content);
    return this.transaction(async (tx) => {
      const { model } = await this.readable(tx, modelId, id);
      const attachmentId = randomUUID();
      await tx.query(sql`INSERT INTO core_attachments (tenant_id, id, model, record_id, name, mime_type, size, content, created_by)
        VALUES (${this.tenantId}::uuid, ${attachmentId}::uuid, ${model.id}, ${id}::uuid, ${name}, ${type}, ${file.content.length},
          decode(${file.content.toString('base64')}, 'base64'), ${this.userId}::uuid)`);
      return { id: attachmentId, name, mime_type: type, size: file.content.length };
    });
  }

  /** A file of the record: one sent with a message, or the user's own upload not sent yet. */
  async attachment(modelId: string, id: string, attachmentId: string): Promise<{ name: string; mime_type: string; content: Buffer }> {
    if (!isUuid(attachmentId)) throw AtriumError.notFound();
    return this.transaction(async (tx) => {
      const { model } = await this.readable(tx, modelId, id);
      const [file] = await tx.rows<{ name: string; mime_type: string; content: Buffer }>(sql`SELECT name, mime_type, content
        FROM core_attachments WHERE tenant_id = ${this.tenantId}::uuid AND id = ${attachmentId}::uuid AND model = ${model.id}
        AND record_id = ${id}::uuid AND (message_id IS NOT NULL OR created_by = ${this.userId}::uuid)`);
      if (!file) throw AtriumError.notFound();
      return file;
    });
  }

  /** The record's activities: open ones by due date, then those done, newest first. */
  async activities(modelId: string, id: string): Promise<{ data: TimelineEntry[] }> {
    return this.transaction(async (tx) => {
      const { model } = await this.readable(tx, modelId, id);
      const rows = await tx.rows<{ activity: TimelineEntry }>(sql`SELECT ${activityJsonSql} AS activity FROM core_activities v
        WHERE v.tenant_id = ${this.tenantId}::uuid AND v.model = ${model.id} AND v.record_id = ${id}::uuid
        ORDER BY v.done_at IS NOT NULL, v.due, v.done_at DESC, v.created_at LIMIT ${TIMELINE_LIMIT}`);
      return { data: rows.map((r) => r.activity) };
    });
  }

  async schedule(modelId: string, id: string, input: ActivityInput): Promise<ScheduledActivity> {
    return this.announce(
      await this.transaction(async (tx) => {
        const target = await this.readable(tx, modelId, id);
        const scheduled = await scheduleActivity(tx, target, this.actor, input);
        notifyScheduled(tx, this.scope.events, target, this.userId, scheduled);
        return scheduled;
      }),
    );
  }

  /** Marks an activity done, by anyone who may read its record (to anyone else it does not exist). */
  async done(activityId: string): Promise<TimelineEntry> {
    if (!isUuid(activityId)) throw AtriumError.notFound();
    const written = await this.transaction(async (tx) => {
      const [found] = await tx.rows<{ model: string; record_id: string }>(
        sql`SELECT model, record_id FROM core_activities WHERE tenant_id = ${this.tenantId}::uuid AND id = ${activityId}::uuid`,
      );
      if (!found || !this.ctx.resolve(found.model)?.chatter) throw AtriumError.notFound();
      return markActivityDone(tx, await this.readable(tx, found.model, found.record_id), this.actor, activityId);
    });
    return this.announce(written).activity;
  }

  /** The chatter models the user may read records of, each with its read rule over the record aliased `a`. */
  private readableChatterModels(): { model: ModelDef; rule: Sql }[] {
    const ability = this.scope.ability;
    return [...this.scope.schema.models.values()]
      .filter((model) => model.chatter && (!ability || ability.condition('read', model) !== null))
      .map((model) => ({ model, rule: this.ctx.ruleSql('read', model) ?? raw('TRUE') }));
  }

  /** The record (aliased `a`) of an activity (aliased `v`), under the user's read rule. */
  private recordJoin(model: ModelDef, rule: Sql): Sql {
    return sql`JOIN ${ident(model.table)} a ON a.tenant_id = v.tenant_id AND a.id = v.record_id AND v.model = ${model.id} AND ${rule}`;
  }

  /** "My activities": the user's open activities on the records they may read, across models, by due date. */
  async mine(): Promise<{ data: TimelineEntry[] }> {
    const models = this.readableChatterModels();
    if (models.length === 0 || !this.userId) return { data: [] };
    const ability = this.scope.ability;
    const parts = models.map(({ model, rule }) => {
      const display =
        model.display && (!ability || readableEverywhere(ability, model).has(model.display)) ? model.fields[model.display] : undefined;
      const label = display?.column ? sql`a.${ident(display.column)}::text` : raw('NULL::text');
      return sql`SELECT ${activityJsonSql} AS activity, ${label} AS display, v.due, v.created_at FROM core_activities v ${this.recordJoin(model, rule)}
        WHERE v.tenant_id = ${this.tenantId}::uuid AND v.assigned_to = ${this.userId}::uuid AND v.done_at IS NULL`;
    });
    const [result] = await this.scope.db.batch(this.tenantId, [
      sql`SELECT activity, display FROM (${join(parts, ' UNION ALL ')}) x ORDER BY due, created_at LIMIT ${TIMELINE_LIMIT}`,
    ]);
    return {
      data: result.rows.map((row) => ({
        ...(row.activity as TimelineEntry),
        record: { id: (row.activity as TimelineEntry).record_id, display: row.display },
      })),
    };
  }

  /** Open and overdue activities per record of the model that the user may read and that has some (kanban cards). */
  async counts(modelId: string): Promise<{ data: { id: string; open: number; overdue: number }[] }> {
    const model = this.chatterModel(modelId);
    const rule = this.ctx.ruleSql('read', model) ?? raw('TRUE');
    const [result] = await this.scope.db.batch(this.tenantId, [
      sql`SELECT v.record_id AS id, count(*)::int AS open, (count(*) FILTER (WHERE v.due < current_date))::int AS overdue
        FROM core_activities v ${this.recordJoin(model, rule)}
        WHERE v.tenant_id = ${this.tenantId}::uuid AND v.model = ${model.id} AND v.done_at IS NULL GROUP BY v.record_id`,
    ]);
    return { data: result.rows as { id: string; open: number; overdue: number }[] };
  }
}
