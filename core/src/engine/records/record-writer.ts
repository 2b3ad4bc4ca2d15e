import { randomUUID } from 'node:crypto';
import { followSql } from '../chatter/chatter-sql.ts';
import { subject } from '@casl/ability';
import { AtriumError, type FieldProblem } from '../../kernel/errors.ts';
import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import type { OutgoingMail, WriteContext } from '../../kernel/module-api.ts';
import { checkRecipients, insertMailSql } from '../mail/mail-outbox.ts';
import { ReportRenderer } from '../reports/report-renderer.ts';
import { permittedFields } from '../rbac/field-mask.ts';
import { ident, raw, sql, type Sql } from '../../store/sql.ts';
import { deleteWithEventSql, recordEventSql, reserveCursorsSql } from '../events/outbox.ts';
import { expectSql } from '../../store/refusal-sql.ts';
import { Refusal } from '../../kernel/refusals.ts';
import { validateBody, validateParams } from './body-schema.ts';
import { conditionToSql } from './filter-to-sql.ts';
import { checkFilter, isUuid } from '../../kernel/filter/filter-language.ts';
import { matchesCondition } from '../../kernel/filter/filter-match.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import type { RecordContext } from './record-context.ts';
import { recordJson } from './record-json.ts';
import type { RecordReader } from './record-reader.ts';
import type { RecordData, TenantRecords } from '../../kernel/record-types.ts';
import { WriteUnit, type CachedReads } from './write-unit.ts';
import { committedEvents } from './committed-events.ts';
import type { LoggedEvent } from '../events/event-log.ts';
import { notify } from '../notifications/notify.ts';
import { recordLimitsSql } from '../plans/plan-limit-sql.ts';
import { translateDatabaseError } from '../../store/db-errors.ts';
import { rowErrors, RolledBack, type ImportResult, type ImportRow } from './import-result.ts';
import type { Transaction } from '../../store/database.ts';

type QueryResult = Awaited<ReturnType<Transaction['commit']>>[number];
import { insertSql, moduleOnSql, pruneLinesSql, rowWhere, syncMany2manySql, updateSql } from './write-sql.ts';

/** What a write inside a unit does once its statements are ready (see RecordWriter.run). */
export type Finish = 'commit' | 'read' | 'none' | 'defer';

/** A unit with this many events takes their cursors at once (see reservedCursors). */
const BULK_EVENTS = 20;

/** An import sends this many rows' writes per round trip (see importRows). */
const IMPORT_CHUNK = 250;

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Creates, updates, deletes and actions. The write and its event go out in one transaction; without
 * module hooks that is a single round trip, where SQL itself checks the tenant, the rule and the
 * version (see updateSql) and a refusal is explained afterwards by a separate read.
 */
export class RecordWriter {
  constructor(
    private readonly ctx: RecordContext,
    private readonly reader: RecordReader,
    /** The records a hook sees inside a unit (see TenantRecordsInTransaction). */
    private readonly hookRecords: (unit: WriteUnit) => TenantRecords,
  ) {}

  private get ability() {
    return this.ctx.scope.ability;
  }

  // ---- public operations (each its own transaction) ----

  async create(modelId: string, body: unknown): Promise<RecordData> {
    const model = this.writableModel(modelId, 'create');
    const values = this.checkedValues(model, 'create', validateBody(this.ctx.scope.schema, model, 'create', body), undefined);
    return this.transaction(model, 'use', (unit) => this.createIn(unit, model, values));
  }

  async update(modelId: string, id: string, body: unknown, ifMatch?: number): Promise<RecordData> {
    const model = this.writableModel(modelId, 'update');
    const valid = validateBody(this.ctx.scope.schema, model, 'patch', body);
    if (!isUuid(id)) throw AtriumError.notFound();
    return this.explainRefusal(model, id, ifMatch, () =>
      this.transaction(model, 'use', async (unit) => {
        const needsCurrent =
          Boolean(this.ctx.scope.hooks(model.id)?.beforeWrite) || model.readonlyWhen.length > 0 || !this.uniformUpdateFields(model);
        const current = needsCurrent ? await this.lockCurrent(unit, model, id, 'update', ifMatch) : null;
        const values = this.checkedValues(model, 'update', valid, current ?? undefined);
        return this.updateIn(unit, model, id, values, { current, ifMatch, userRules: true });
      }),
    );
  }

  async remove(modelId: string, id: string): Promise<void> {
    const model = this.writableModel(modelId, 'delete');
    if (!isUuid(id)) throw AtriumError.notFound();
    await this.explainRefusal(model, id, undefined, () =>
      this.transaction(model, 'use', async (unit) => {
        const hook = this.ctx.scope.hooks(model.id)?.beforeDelete;
        const holders = this.removingHolders(model);
        if (hook || holders.length > 0) {
          const current = await this.lockCurrent(unit, model, id, 'delete');
          await hook?.({ ...this.hookBase(unit, model), current });
        }
        for (const { model: holder, field } of holders) await this.releaseHolders(unit, holder, field, model, id);
        const rule = this.ctx.ruleSql('delete', model);
        const automations = this.ctx.scope.automations;
        const triggers = automations && (await automations.onDelete(this.ctx.scope, unit, model));
        // A delete that triggers automations: the record read before it goes, the automations run after it, then the commit.
        const before = triggers ? await this.reader.findStored(model, id, unit.tx) : null;
        const events = this.eventStatements(unit);
        const remove = deleteWithEventSql(this.eventWrite(model, 'deleted', []), rowWhere(this.ctx.actor, id, rule));
        if (!triggers) {
          const results = await unit.tx.commit(...events, remove);
          this.committed(results.at(-1)!.rows[0]?.seq);
          return;
        }
        unit.events.length = 0;
        unit.judged = 0;
        const [deleted] = (await unit.tx.query(...events, remove)).slice(-1);
        if (before) await automations.deleted(this.ctx.scope, unit, model, before);
        await this.commit(unit);
        this.committed(deleted.rows[0]?.seq);
      }),
    );
  }

  async action(modelId: string, id: string, name: string, body: unknown): Promise<RecordData> {
    const model = this.ctx.model(modelId);
    const action = Object.hasOwn(model.actions, name) ? model.actions[name] : undefined;
    if (!action || !isUuid(id)) throw AtriumError.notFound();
    const handler = this.ctx.scope.hooks(model.id)?.actions?.[name];
    const params = validateParams(this.ctx.scope.schema, action, body ?? {});
    let mailQueued = false;
    const result = await this.transaction(model, 'use', async (unit) => {
      const record = await this.lockCurrent(unit, model, id, name);
      if (action.when && !this.matchesWhen(model, action.when, record)) {
        throw AtriumError.conflict(`"${action.label}" is not available for this ${model.label.toLowerCase()} in its current state`);
      }
      const sendMail = async (mail: OutgoingMail): Promise<void> => {
        await this.queueMail(unit, model, id, mail);
        mailQueued = true;
      };
      const changes = (await handler!({ ...this.hookBase(unit, model), record, params, sendMail })) ?? {};
      return this.updateIn(unit, model, id, changes as RecordData, { current: record, action: name, userRules: false });
    });
    if (mailQueued) this.ctx.scope.events.mailQueued?.();
    return result;
  }

  /** A mail about the record into the outbox, its report rendered inside the transaction as the user reads it. */
  private async queueMail(unit: WriteUnit, model: ModelDef, id: string, { report, ...mail }: OutgoingMail): Promise<void> {
    checkRecipients(mail.to);
    const rendered = report ? await new ReportRenderer(this.ctx, this.reader).render(model.id, id, report, unit.tx) : undefined;
    await unit.tx.query(
      insertMailSql({
        ...mail,
        tenantId: this.ctx.actor.tenantId,
        model: model.id,
        recordId: id,
        createdBy: this.ctx.actor.userId,
        attachment: rendered && { name: rendered.filename, content: rendered.pdf },
      }),
    );
  }

  /**
   * Writes an import's rows in one transaction, each through the same path as a create or an update
   * (body checks, field rights, rules, hooks, its event); with any error, or on a dry run, the whole
   * transaction is rolled back: all or nothing. Rows go in chunks, their statements deferred and sent
   * together behind a savepoint; when the database refuses one, the chunk is undone and written again
   * row by row, each behind its own savepoint, so that each refusal is told with its row.
   */
  async importRows(
    modelId: string,
    rows: ImportRow[],
    options: { dryRun: boolean; onProgress?: (done: number) => void },
  ): Promise<ImportResult> {
    const model = this.writableModel(modelId, 'read');
    const result: ImportResult = { created: 0, updated: 0, errors: [] };
    try {
      // Not from the cache: an import tells its progress as it goes, so it must not run twice.
      await this.transaction(model, 'none', async (unit) => {
        for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
          const chunk = rows.slice(start, start + IMPORT_CHUNK);
          const mark = { ...result, errors: result.errors.length, events: unit.events.length };
          await unit.tx.query(...(start === 0 ? [] : [sql`RELEASE SAVEPOINT atrium_import`]), sql`SAVEPOINT atrium_import`);
          try {
            for (const [i, row] of chunk.entries()) {
              await this.importRow(unit, model, row, result, 'defer').catch((error: unknown) => {
                // Refused before reaching the database: told now. A database refusal stops the chunk (below).
                if (!(error instanceof AtriumError)) throw error;
                result.errors.push(...rowErrors(row.row, error));
              });
              options.onProgress?.(start + i + 1);
            }
            await unit.tx.flush();
          } catch (error) {
            if (!this.refusalOf(model, error)) throw error;
            Object.assign(result, { created: mark.created, updated: mark.updated });
            result.errors.length = mark.errors;
            unit.events.length = mark.events;
            await unit.tx.query(sql`ROLLBACK TO SAVEPOINT atrium_import`);
            for (const row of chunk) await this.importRowAlone(unit, model, row, result);
          }
        }
        if (result.errors.length > 0 || options.dryRun) throw new RolledBack();
        await this.commit(unit);
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
    return result;
  }

  /** One row behind its own savepoint: a refusal is undone and told with the row. */
  private async importRowAlone(unit: WriteUnit, model: ModelDef, row: ImportRow, result: ImportResult): Promise<void> {
    const events = unit.events.length;
    await unit.tx.query(sql`SAVEPOINT atrium_import_row`);
    try {
      await this.importRow(unit, model, row, result, 'none');
      await unit.tx.query(sql`RELEASE SAVEPOINT atrium_import_row`);
    } catch (error) {
      const refusal = this.refusalOf(model, error);
      if (!refusal) throw error;
      result.errors.push(...rowErrors(row.row, refusal));
      unit.events.length = events;
      await unit.tx.query(sql`ROLLBACK TO SAVEPOINT atrium_import_row`);
    }
  }

  /** A row as a create (no id) or an update of the record with its id, checked as a POST or a PATCH would be. */
  private async importRow(unit: WriteUnit, model: ModelDef, row: ImportRow, result: ImportResult, finish: Finish): Promise<void> {
    const { schema } = this.ctx.scope;
    if (row.id === undefined) {
      this.ctx.requireAny('create', model);
      const values = this.checkedValues(model, 'create', validateBody(schema, model, 'create', row.values), undefined);
      await this.createIn(unit, model, values, finish);
      result.created++;
    } else {
      this.ctx.requireAny('update', model);
      const valid = validateBody(schema, model, 'patch', row.values);
      const current = await this.lockCurrent(unit, model, row.id, 'update');
      await this.updateIn(unit, model, row.id, this.checkedValues(model, 'update', valid, current), { current, userRules: true }, finish);
      result.updated++;
    }
  }

  /** A row's failure as the client error a single write would have answered; undefined for a real fault. */
  private refusalOf(model: ModelDef, error: unknown): AtriumError | undefined {
    const reason = error instanceof Refusal ? error.reason : undefined;
    if (reason === 'rule_after')
      return AtriumError.forbidden(`After this change you could no longer edit the ${model.label.toLowerCase()}: not allowed`);
    if (reason === 'no_row') return AtriumError.forbidden(`You may not change this ${model.label.toLowerCase()}`);
    const translated = translateDatabaseError(error);
    return translated instanceof AtriumError && translated.statusCode < 500 ? translated : undefined;
  }

  // ---- writes inside a unit (also used by hooks through TenantRecords) ----

  async createIn(unit: WriteUnit, model: ModelDef, values: RecordData, finish: Finish = 'commit'): Promise<RecordData> {
    const withDefaults = await this.prepareLines(unit, model, this.withDefaults(model, values));
    await this.ctx.scope.hooks(model.id)?.beforeWrite?.(this.writeContext(unit, model, 'create', withDefaults, null));
    if (this.ability && !this.ability.can('create', subject(model.id, { ...withDefaults })))
      throw AtriumError.forbidden(`You may not create this ${model.label.toLowerCase()}`);
    const id = randomUUID();
    const statements = [
      ...this.relationChecks(model, withDefaults),
      insertSql(model, id, withDefaults, this.ctx.actor),
      ...this.relationWrites(unit, model, id, withDefaults),
      // Whoever creates a record with a chatter follows it.
      ...(model.chatter && this.ctx.actor.userId ? [followSql(this.ctx.actor.tenantId, model.id, id, [this.ctx.actor.userId])] : []),
    ];
    unit.insertedOne(model);
    this.noticeAssignment(unit, model, id, withDefaults, 'created');
    unit.events.push({ model, id, op: 'created', changed: Object.keys(withDefaults) });
    return this.run(unit, model, id, statements, finish);
  }

  async updateIn(
    unit: WriteUnit,
    model: ModelDef,
    id: string,
    values: RecordData,
    options: { current: RecordData | null; ifMatch?: number; action?: string; userRules: boolean },
    finish: Finish = 'commit',
  ): Promise<RecordData> {
    const next = await this.prepareLines(unit, model, values);
    // Every write but an action's obeys `readonly_when`: a PATCH, an import row, a hook's or the core's own update.
    const guarded = !options.action && model.readonlyWhen.length > 0;
    const automations = this.ctx.scope.automations;
    const before = automations && (await automations.needsBefore(this.ctx.scope, unit, model));
    let current = options.current;
    if (current || guarded || before || this.ctx.scope.hooks(model.id)?.beforeWrite) {
      current ??= await this.reader.findStored(model, id, unit.tx);
      if (!current) throw AtriumError.notFound();
      if (guarded) this.refuseIfReadonly(model, current);
      await this.ctx.scope.hooks(model.id)?.beforeWrite?.(this.writeContext(unit, model, 'update', next, current, options.action));
    }
    const rule = options.userRules ? this.ctx.ruleSql('update', model) : undefined;
    const after = rule
      ? (alias: string) => conditionToSql(model, alias, this.ability!.condition('update', model)!, this.ctx.scope.schema)
      : undefined;
    const statements = [
      ...this.relationChecks(model, next),
      updateSql(model, id, next, this.ctx.actor, { version: options.ifMatch, rule, after }),
      ...this.relationWrites(unit, model, id, next),
    ];
    this.noticeAssignment(unit, model, id, next, 'updated');
    unit.events.push({ model, id, op: 'updated', changed: Object.keys(next), ...(before && current ? { before: current } : {}) });
    return this.run(unit, model, id, statements, finish);
  }

  // ---- helpers ----

  /** The many2many fields (of enabled models) that hold `target` records with ondelete "remove". */
  private removingHolders(target: ModelDef): { model: ModelDef; field: FieldDef }[] {
    return [...this.ctx.scope.schema.models.values()].flatMap((model) =>
      Object.values(model.fields)
        .filter((f) => typeOf(f).kind === 'links' && f.target === target.id && f.ondelete === 'remove')
        .map((field) => ({ model, field })),
    );
  }

  /**
   * Takes the record about to be deleted out of every holder's many2many field, each holder through the
   * write path: its module's hooks (a locked record refuses: 409 naming it), a new version, an event. The
   * delete right on the target is what allows it, whoever may see the holders (as Odoo unlinks a tag from
   * every record); holders that remain (of a module that is off) make the delete refuse (see entities.ts).
   */
  private async releaseHolders(unit: WriteUnit, holder: ModelDef, field: FieldDef, target: ModelDef, id: string): Promise<void> {
    const tenant = this.ctx.actor.tenantId;
    // Locked first, read after: a holder's links changed meanwhile are read as committed, never overwritten.
    const locked = await unit.tx.rows<{ id: string }>(sql`SELECT a.id FROM ${ident(holder.table)} a WHERE a.tenant_id = ${tenant}::uuid
      AND a.id IN (SELECT source_id FROM ${ident(field.relTable!)} WHERE tenant_id = ${tenant}::uuid AND target_id = ${id}::uuid) ORDER BY a.id FOR UPDATE`);
    const records = this.hookRecords(unit);
    for (const { id: holderId } of locked) {
      const current = (await records.get(holder.id, holderId))!;
      const linked = (current[field.name] as { id: string }[]).map((link) => link.id);
      if (!linked.includes(id)) continue;
      try {
        await records.update(holder.id, holderId, { [field.name]: linked.filter((x) => x !== id) });
      } catch (error) {
        // A lock, a hook's refusal or a required field left empty: the holder cannot change, so nothing is deleted.
        if (!(error instanceof AtriumError && error.statusCode < 500)) throw error;
        const name = holder.display ? ` "${String(current[holder.display])}"` : '';
        throw AtriumError.conflict(
          `This ${target.label.toLowerCase()} cannot be deleted: the ${holder.label.toLowerCase()}${name} holds it and cannot change. ${error.message}`,
          { holder: { model: holder.id, id: holderId } },
        );
      }
    }
  }

  private writableModel(modelId: string, action: string): ModelDef {
    const model = this.ctx.model(modelId);
    if (model.system) throw AtriumError.forbidden(`${model.label} records are managed by the administration API`);
    this.ctx.requireAny(action, model);
    return model;
  }

  /**
   * Runs the statements; 'commit' adds every pending event and commits, all in one round trip; 'read'
   * reads the record back inside the unit; 'none' answers only its id (an import's row needs no more);
   * 'defer' leaves them for the unit's next message (see Transaction.defer).
   */
  private async run(unit: WriteUnit, model: ModelDef, id: string, statements: Sql[], finish: Finish): Promise<RecordData> {
    if (finish === 'defer') unit.tx.defer(...statements);
    else if (finish !== 'commit') await unit.tx.query(...statements);
    if (finish !== 'commit') return finish === 'read' ? (await this.reader.find(model, id, unit.tx))! : { id };
    const last = await this.commit(unit, ...statements);
    return this.ctx.mask(model, [last!.record as RecordData])[0];
  }

  /**
   * Sends the statements, then every pending event of the unit, then COMMIT: one round trip. Returns the
   * last event (the main record's snapshot), if any, and the statements' results.
   */
  async commit(unit: WriteUnit, ...statements: Sql[]): Promise<{ seq: number; record: unknown } | undefined> {
    return (await this.commitWithResults(unit, ...statements)).last;
  }

  async commitWithResults(
    unit: WriteUnit,
    ...statements: Sql[]
  ): Promise<{ last?: { seq: number; record: unknown }; results: QueryResult[] }> {
    // The main record's event is the last one of the write; the automations it triggers may add more after it.
    const main = unit.events.length - 1;
    const ran = await this.ctx.scope.automations?.beforeCommit(this.ctx.scope, unit, statements);
    const pending = ran ? [] : statements;
    const events = this.eventStatements(unit, await this.reservedCursors(unit));
    const written = unit.events.splice(0);
    const checks = [...unit.checks, ...this.planChecks(unit)];
    const results = await unit.tx.commit(...pending, ...events, ...checks);
    const rows = results.slice(pending.length, pending.length + events.length).map((r) => r.rows[0] as { seq: number; record: unknown });
    const age = (performance.now() - unit.startedAt) / 1000;
    this.committed(rows.at(-1)?.seq, committedEvents(written, rows, this.ctx.scope.requestId ?? null, age));
    const last = rows[main];
    for (const tell of unit.afterCommit) tell();
    return { last, results: ran ?? results.slice(0, statements.length) };
  }

  /** The plan's record limits for what the unit inserted (nothing when its plan has none). */
  private planChecks(unit: WriteUnit): Sql[] {
    if (unit.inserted.size === 0) return [];
    const models = [...this.ctx.scope.schema.models.values()].filter((m) => !m.system);
    return recordLimitsSql(this.ctx.scope.plans, this.ctx.actor.tenantId, models, unit.inserted, this.ctx.scope.plan?.limits);
  }

  // ---- the core's own models (users, roles, company settings, module switches) ----

  /**
   * A transaction for the administration API, which writes the core's models with statements of its own:
   * `work` runs them in the unit, notes each record it changes (`touched`) and ends with `commitWithResults`,
   * so the records' events (and so their history) commit with them, or nothing does.
   */
  coreTransaction<T>(work: (unit: WriteUnit) => Promise<T>): Promise<T> {
    return this.ctx.scope.db.transaction(this.ctx.actor.tenantId, (tx) => work(new WriteUnit(tx)));
  }

  /** A core record changed in this unit: the user's ability must allow it (403), and its event goes out with the commit. */
  touched(unit: WriteUnit, modelId: string, id: string, op: 'created' | 'updated', changed: string[]): void {
    const model = this.ctx.model(modelId);
    if (this.ability && !this.ability.can(op === 'created' ? 'create' : 'update', model.id))
      throw AtriumError.forbidden(`You may not change ${model.label} records`);
    unit.events.push({ model, id, op, changed });
  }

  /** Writes the unit's pending events now, before more statements (a module's seed data) join the transaction. */
  async flushEvents(unit: WriteUnit): Promise<void> {
    const events = this.eventStatements(unit);
    unit.events.length = 0;
    if (events.length > 0) await unit.tx.query(...events);
  }

  private eventWrite(model: ModelDef, op: 'created' | 'updated' | 'deleted', changed: string[]) {
    return {
      tenantId: this.ctx.actor.tenantId,
      actor: this.ctx.actor.userId,
      model,
      op,
      changed,
      requestId: this.ctx.scope.requestId ?? null,
    };
  }

  /**
   * For a unit of many events, the first of as many cursors taken at once, one round trip before the
   * commit (see reserveCursorsSql); a few events each take theirs within the commit's own round trip.
   */
  private async reservedCursors(unit: WriteUnit): Promise<number | undefined> {
    const count = unit.events.length;
    if (count < BULK_EVENTS) return undefined;
    const [{ last }] = await unit.tx.rows<{ last: string }>(reserveCursorsSql(this.ctx.actor.tenantId, count));
    return Number(last) - count + 1;
  }

  /** Event statements of the unit, in write order (with cursors from `firstSeq` on, if given); the last one returns the main record's snapshot. */
  private eventStatements(unit: WriteUnit, firstSeq?: number): Sql[] {
    return unit.events.map((e, i) => {
      const json = recordJson(this.ctx.scope.schema, e.model, 'a', { lines: true, precision: this.ctx.precision });
      const row = sql`SELECT a.id, a.version, ${json} AS j FROM ${ident(e.model.table)} a WHERE a.tenant_id = ${this.ctx.actor.tenantId}::uuid AND a.id = ${e.id}::uuid`;
      return recordEventSql(this.eventWrite(e.model, e.op, e.changed), row, firstSeq === undefined ? undefined : firstSeq + i);
    });
  }

  private committed(seq: number | undefined, events?: LoggedEvent[]): void {
    if (seq !== undefined) this.ctx.scope.events.committed(this.ctx.actor.tenantId, Number(seq), events);
  }

  /**
   * A write's transaction, which refuses (404 module_disabled) if the model's module was switched off meanwhile.
   * With 'use', its hooks' reads by id may come from the node's cache, each checked in the write's own message;
   * when one proves stale the write is undone and runs once more, reading afresh (hook-read-cache.ts).
   */
  private async transaction<T>(model: ModelDef, reads: 'use' | 'none', work: (unit: WriteUnit) => Promise<T>): Promise<T> {
    const attempt = (mode: CachedReads): Promise<T> =>
      this.ctx.scope.db.transaction(this.ctx.actor.tenantId, (tx) => {
        tx.opensWith(moduleOnSql(this.ctx.actor, model.module));
        return work(new WriteUnit(tx, mode));
      });
    try {
      return await attempt(reads);
    } catch (error) {
      if (!(error instanceof Refusal && error.reason === 'stale_read')) throw error;
      return attempt('refresh');
    }
  }

  /**
   * The current record as stored, locked, visible to the user and open to `action` on it (404 / 403 / 409
   * otherwise). Unmasked: rules and hooks judge the record in the database, not the user's view of it.
   */
  private async lockCurrent(unit: WriteUnit, model: ModelDef, id: string, action: string, ifMatch?: number): Promise<RecordData> {
    const current = await this.reader.findStored(model, id, unit.tx);
    if (!current) throw AtriumError.notFound();
    if (ifMatch !== undefined && current.version !== ifMatch)
      throw AtriumError.conflict('This record was changed by someone else', { current: this.ctx.mask(model, [current])[0] });
    if (this.ability && !this.ability.can(action, subject(model.id, { ...current })))
      throw AtriumError.forbidden(`You may not ${action} this ${model.label.toLowerCase()}`);
    return current;
  }

  /**
   * When the refusal `no_row` stops a one-round-trip write, a read as the user tells why: the record does not
   * exist for them (404), their version is stale (409 with the current record), or a rule forbids it (403).
   */
  private async explainRefusal<T>(model: ModelDef, id: string, ifMatch: number | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof Refusal && error.reason === 'no_row')) throw this.refusalOf(model, error) ?? error;
      const current = await this.reader.find(model, id);
      if (!current) throw AtriumError.notFound();
      if (ifMatch !== undefined && current.version !== ifMatch)
        throw AtriumError.conflict('This record was changed by someone else', { current });
      throw AtriumError.forbidden(`You may not change this ${model.label.toLowerCase()}`);
    }
  }

  /** Do all update rules carry the same field list? Then fields can be checked without reading the record. */
  private uniformUpdateFields(model: ModelDef): boolean {
    if (!this.ability) return true;
    const rules = this.ability.rulesFor('update', model.id);
    return new Set(rules.map((r) => (r.fields ? [...r.fields].sort().join(',') : '*'))).size <= 1;
  }

  /** Read-only fields, fields the role may not write, and money beyond the currency's precision are refused. */
  private checkedValues(model: ModelDef, action: 'create' | 'update', values: RecordData, current: RecordData | undefined): RecordData {
    const problems: FieldProblem[] = [];
    const writable = this.writableFields(model, action, values, current);
    const out: RecordData = {};
    for (const [name, value] of Object.entries(values)) {
      const field = model.fields[name];
      if (field.readonly) problems.push({ field: name, rule: 'readonly', message: 'is read-only' });
      else if (writable && !writable.has(name)) problems.push({ field: name, rule: 'forbidden', message: 'you may not write this field' });
      else if (field.required && value === null) problems.push({ field: name, rule: 'required', message: 'is required' });
      else out[name] = this.normalize(field, value, name, problems);
    }
    if (problems.length > 0) throw AtriumError.validation(problems);
    return out;
  }

  /**
   * The fields the user may write here. Rules with conditions ({"owner": "$user"}) judge the record: the
   * current one, or on create the one about to be created (defaults included; none matching is a 403).
   * An update sent without reading the record has rules that all list the same fields (see
   * uniformUpdateFields), so their conditions do not change the answer: SQL checks them on the row.
   */
  private writableFields(
    model: ModelDef,
    action: 'create' | 'update',
    values: RecordData,
    current: RecordData | undefined,
  ): Set<string> | undefined {
    const ability = this.ability;
    if (!ability) return undefined;
    if (current) return permittedFields(ability, action, model, current);
    if (action === 'update') return permittedFields(ability, action, model); // all update rules agree (see uniformUpdateFields)
    const created = this.withDefaults(model, values);
    if (!ability.can('create', subject(model.id, { ...created })))
      throw AtriumError.forbidden(`You may not create this ${model.label.toLowerCase()}`);
    return permittedFields(ability, action, model, created);
  }

  private normalize(field: FieldDef, value: unknown, path: string, problems: FieldProblem[]): unknown {
    if (value === null) return null;
    const type = typeOf(field);
    if (type.normalize) {
      const normal = type.normalize(value, { precision: this.ctx.precision });
      if ('value' in normal) return normal.value;
      problems.push({ field: path, ...normal.problem });
      return null;
    }
    if (type.kind === 'lines') {
      const target = this.ctx.scope.schema.model(field.target!)!;
      // Lines are written with the parent's permission, but never a line field the user may not read.
      const readable = this.ability ? permittedFields(this.ability, 'read', target) : undefined;
      return (value as RecordData[]).map((line, i) => {
        const out: RecordData = {};
        for (const [name, v] of Object.entries(line)) {
          if (name !== 'id' && target.fields[name].readonly)
            problems.push({ field: `${path}.${i}.${name}`, rule: 'readonly', message: 'is read-only' });
          else if (name !== 'id' && readable && !readable.has(name))
            problems.push({ field: `${path}.${i}.${name}`, rule: 'forbidden', message: 'you may not write this field' });
          else out[name] = name === 'id' ? v : this.normalize(target.fields[name], v, `${path}.${i}.${name}`, problems);
        }
        return out;
      });
    }
    return value;
  }

  private withDefaults(model: ModelDef, values: RecordData): RecordData {
    const out: RecordData = {};
    for (const field of Object.values(model.fields)) {
      if (Object.hasOwn(values, field.name) || !field.column) continue;
      if (field.default === '$user') out[field.name] = this.ctx.actor.userId;
      else if (field.default === '$now') out[field.name] = new Date().toISOString();
      else if (field.default === '$today') out[field.name] = today();
      else if (field.default !== undefined)
        out[field.name] = typeOf(field).fromDefault?.(field.default, { precision: this.ctx.precision }) ?? field.default;
      else if (typeOf(field).implicitDefault !== undefined) out[field.name] = typeOf(field).implicitDefault;
    }
    return { ...out, ...values };
  }

  /**
   * One2many lines written with their parent are records of their own model: new lines get their
   * defaults, then every line goes through its model's beforeWrite hook (as Odoo runs a line's create()
   * when an order writes its lines) — all before the parent's own hook, which then sees finished lines.
   */
  private async prepareLines(unit: WriteUnit, model: ModelDef, values: RecordData): Promise<RecordData> {
    const out = { ...values };
    for (const [name, value] of Object.entries(values)) {
      const field = model.fields[name];
      if (!field || typeOf(field).kind !== 'lines' || !Array.isArray(value)) continue;
      const target = this.ctx.scope.schema.model(field.target!)!;
      const hook = this.ctx.scope.hooks(target.id)?.beforeWrite;
      const lines: RecordData[] = [];
      for (const { id, ...fields } of value as RecordData[]) {
        const existing = typeof id === 'string';
        const lineValues = existing ? fields : this.withDefaults(target, fields);
        if (hook) {
          const current = existing ? await this.reader.findStored(target, id as string, unit.tx) : null;
          await hook({
            ...this.writeContext(unit, target, existing ? 'update' : 'create', lineValues, current),
            parent: { model: model.id, field: name },
          });
        }
        lines.push(existing ? { id, ...lineValues } : lineValues);
      }
      out[name] = lines;
    }
    return out;
  }

  /**
   * A relation to a record the user cannot read is refused (400 naming the field): the composite foreign
   * key already stops other tenants' ids; these statements add the target's record rules. Inside lines
   * they always run: a foreign key error names the column, not which line ("lines.0.taxes").
   */
  private relationChecks(model: ModelDef, values: RecordData, path = ''): Sql[] {
    const ability = this.ability;
    const checks: Sql[] = [];
    for (const [name, value] of Object.entries(values)) {
      const field = model.fields[name];
      // A custom many2one has no foreign key: its target is always checked, for the core too.
      if (!field?.target || value === null || (Array.isArray(value) && value.length === 0) || (!ability && !field.custom)) continue;
      const target = this.ctx.scope.schema.model(field.target)!;
      if (typeOf(field).kind === 'lines') {
        (value as RecordData[]).forEach((line, i) => checks.push(...this.relationChecks(target, line, `${path}${name}.${i}.`)));
        continue;
      }
      const at = `${path}${name}`;
      if (ability && ability.condition('read', target) === null)
        throw AtriumError.invalidField(at, 'relation', `you may not refer to ${target.label} records`);
      const rule = this.ctx.ruleSql('read', target);
      if (!rule && !path && !field.custom) continue;
      const ids = [value].flat() as string[];
      const visible = sql`(SELECT count(*) FROM ${ident(target.table)} a WHERE a.tenant_id = ${this.ctx.actor.tenantId}::uuid AND a.id = ANY(${ids}::uuid[]) AND ${rule ?? raw('TRUE')}) = ${ids.length}`;
      checks.push(sql`SELECT ${expectSql(visible, 'relation', at)}`);
    }
    return checks;
  }

  /** many2many links and one2many lines, written in the parent's transaction. */
  private relationWrites(unit: WriteUnit, model: ModelDef, id: string, values: RecordData): Sql[] {
    const statements: Sql[] = [];
    for (const [name, value] of Object.entries(values)) {
      const field = model.fields[name];
      const kind = field && typeOf(field).kind;
      if (kind === 'links') statements.push(...syncMany2manySql(field, id, value as string[], this.ctx.actor));
      if (kind !== 'lines') continue;
      const target = this.ctx.scope.schema.model(field.target!)!;
      const inverse = target.fields[field.inverse!];
      const lines = value as RecordData[];
      const keep = lines.map((l) => l.id).filter((x): x is string => typeof x === 'string');
      statements.push(pruneLinesSql(target, inverse, id, keep, this.ctx.actor));
      for (const line of lines) {
        const { id: existing, ...lineValues } = line;
        const lineId = typeof existing === 'string' ? existing : randomUUID();
        if (typeof existing === 'string') {
          const belongs = sql`a.${ident(inverse.column!)} = ${id}::uuid`;
          statements.push(updateSql(target, lineId, lineValues, this.ctx.actor, { rule: belongs, line: name }));
        } else {
          statements.push(insertSql(target, lineId, { ...lineValues, [inverse.name]: id }, this.ctx.actor));
          unit.insertedOne(target);
        }
        // A line's own many2many fields (e.g. its taxes), after the statement that proves the line is this record's.
        for (const [lineField, ids] of Object.entries(lineValues)) {
          if (target.fields[lineField] && typeOf(target.fields[lineField]).kind === 'links')
            statements.push(...syncMany2manySql(target.fields[lineField], lineId, ids as string[], this.ctx.actor));
        }
      }
    }
    return statements;
  }

  /**
   * The user a write makes the record's assignee (see ModelDef.assignee) is notified, in the write's
   * transaction: on an update only if someone else held it before (checked by the statement, sent ahead of
   * the write's own), never the writer themselves.
   */
  private noticeAssignment(unit: WriteUnit, model: ModelDef, id: string, values: RecordData, op: 'created' | 'updated'): void {
    const userId = model.assignee ? values[model.assignee] : undefined;
    if (typeof userId !== 'string') return;
    const { tenantId, userId: actorId } = this.ctx.actor;
    const column = ident(model.fields[model.assignee!].column!);
    const heldByOther =
      op === 'created'
        ? undefined
        : sql`NOT EXISTS (SELECT 1 FROM ${ident(model.table)} a WHERE a.tenant_id = ${tenantId}::uuid AND a.id = ${id}::uuid AND a.${column} = ${userId}::uuid)`;
    notify(unit.tx, this.ctx.scope.events, { tenantId, userId, kind: 'assigned', model: model.id, recordId: id, actorId }, heldByOther);
  }

  /** A record in a state its model declares read-only (`readonly_when`) takes actions only: 409 with the reason. */
  private refuseIfReadonly(model: ModelDef, current: RecordData): void {
    const rule = model.readonlyWhen.find((r) => this.matchesWhen(model, r.when, current));
    if (rule) throw AtriumError.conflict(rule.message, { readonly_when: rule.when });
  }

  private matchesWhen(model: ModelDef, when: Record<string, unknown>, record: RecordData): boolean {
    const { condition } = checkFilter(model, when, { source: 'when' });
    return condition !== undefined && matchesCondition(model, condition, record);
  }

  private hookBase(unit: WriteUnit, model: ModelDef) {
    return {
      model: model.id,
      tenant: this.ctx.scope.tenant,
      user: this.ctx.scope.user,
      records: this.hookRecords(unit),
    };
  }

  private writeContext(
    unit: WriteUnit,
    model: ModelDef,
    op: 'create' | 'update',
    values: RecordData,
    current: RecordData | null,
    action?: string,
  ): WriteContext {
    return { ...this.hookBase(unit, model), op, values, current, action, has: (field: string) => Object.hasOwn(values, field) };
  }
}
