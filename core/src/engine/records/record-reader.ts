import { AtriumError } from '../../kernel/errors.ts';
import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import { readableEverywhere } from '../rbac/field-mask.ts';
import { ident, join, prepared, raw, sql, type Sql } from '../../store/sql.ts';
import type { Transaction } from '../../store/database.ts';
import { isUuid, type Condition } from '../../kernel/filter/filter-language.ts';
import { conditionToSql } from './filter-to-sql.ts';
import { filterParam, parseListParams, type ListQuery } from './list-params.ts';
import type { RecordContext } from './record-context.ts';
import { recordJson } from './record-json.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { parseSort, sortSql } from './sort.ts';
import { isSystemField } from '../../kernel/system-fields.ts';
import { columnOf } from './filter-to-sql.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { sqlOf } from '../field-types/sql-of.ts';
import type { TotalsPair } from '../../store/group-totals-pairs.ts';
import { FOLD_AFTER, foldTotalsSql, keptTotals, totalsFilter, totalsGroupsSql } from './group-totals.ts';

/** Totals are exact up to this; past it they say so (a count must stay cheap on big tenants). */
export const TOTAL_CAP = 10_000;
/** An export holds at most this many rows, fetched from its cursor this many at a time. */
export const EXPORT_CAP = 100_000;
const EXPORT_BATCH = 1000;

/**
 * A page as the API answers it, `{"data": [...], "total": n}` (and `"total_capped": true` past the cap),
 * already serialised: a page nothing is masked from goes out as the text PostgreSQL wrote, never parsed.
 */
export interface ListPage {
  json: string;
}

export interface Group {
  key: unknown;
  label: string | null;
  count: number;
  sum?: string | number;
}

/** Reads: every query is one statement (or two, sent together) with tenant ∧ rule ∧ filter in SQL. */
export class RecordReader {
  constructor(private readonly ctx: RecordContext) {}

  private readable(model: ModelDef): (field: string) => boolean {
    const ability = this.ctx.scope.ability;
    if (!ability) return () => true;
    const fields = readableEverywhere(ability, model);
    return (field) => fields.has(field);
  }

  /**
   * Fields the user may order by: readable ones, and for a many2one (ordered by its target's display)
   * only when the target's display is readable too; otherwise the order would tell what the user may not read.
   */
  private sortable(model: ModelDef): (field: string) => boolean {
    const readable = this.readable(model);
    return (field) => {
      const def = model.fields[field];
      const target = def ? this.referenced(def) : undefined;
      return readable(field) && (!target?.display || this.readable(target)(target.display));
    };
  }

  /** The model a many2one refers to (sorted and grouped by its display). */
  private referenced(field: FieldDef): ModelDef | undefined {
    return typeOf(field).kind === 'reference' ? this.ctx.scope.schema.model(field.target!) : undefined;
  }

  /** The model's declared order, less the keys the user may not order by. */
  private defaultOrder(model: ModelDef, alias: string): Sql {
    const sortable = this.sortable(model);
    return sortSql(
      this.ctx.scope.schema,
      model,
      alias,
      parseSort(model, model.order).filter((k) => isSystemField(k.field) || sortable(k.field)),
    );
  }

  /** tenant ∧ read rule ∧ extra, over the row aliased `a`. */
  private where(model: ModelDef, extra: Sql[] = []): Sql {
    const rule = this.ctx.ruleSql('read', model);
    return join([sql`a.tenant_id = ${this.ctx.actor.tenantId}::uuid`, ...(rule ? [rule] : []), ...extra], ' AND ');
  }

  /** A model of the tenant's enabled modules, if any (a relation's target). */
  modelOf = (id: string): ModelDef | undefined => this.ctx.resolve(id);

  /** The model, which the user may read some records of (404 / 403 otherwise). */
  readableModel(modelId: string): ModelDef {
    const model = this.ctx.model(modelId);
    this.ctx.requireAny('read', model);
    return model;
  }

  async list(modelId: string, query: ListQuery): Promise<ListPage> {
    const model = this.ctx.model(modelId);
    this.ctx.requireAny('read', model);
    const params = parseListParams(model, query, this.readable(model), this.sortable(model));
    const where = this.where(model, params.filter ? [conditionToSql(model, 'a', params.filter, this.ctx.scope.schema)] : []);
    const { schema } = this.ctx.scope;
    const order = params.sort ? sortSql(schema, model, 'a', params.sort) : this.defaultOrder(model, 'a');
    const json = recordJson(schema, model, 'a', { fields: params.fields, precision: this.ctx.precision });
    const table = ident(model.table);
    // A page without a filter (a view opening, a kanban loading) is prepared: planning it cost more than
    // running it. A filter's shape is the client's, so filtered pages stay text, planned for their values.
    const shape = params.filter ? (statement: Sql) => statement : prepared;
    const unmasked = this.ctx.unmasked(model);
    const [page, count] = await this.ctx.scope.db.batch(this.ctx.actor.tenantId, [
      shape(
        sql`SELECT ${json}${raw(unmasked ? '::text' : '')} AS r FROM ${table} a WHERE ${where} ORDER BY ${order} LIMIT ${params.limit} OFFSET ${params.offset}`,
      ),
      shape(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} a WHERE ${where} LIMIT ${TOTAL_CAP + 1}) c`),
    ]);
    const total = count.rows[0].n as number;
    const records = page.rows.map((row) => row.r as string | RecordData);
    const data = unmasked ? (records as string[]) : this.ctx.mask(model, records as RecordData[]).map((r) => JSON.stringify(r));
    const totals = total > TOTAL_CAP ? `"total":${TOTAL_CAP},"total_capped":true` : `"total":${total}`;
    return { json: `{"data":[${data.join(',')}],${totals}}` };
  }

  /**
   * A whole filtered, sorted list (no page; at most EXPORT_CAP rows) for an export: the parameters are
   * checked now (a bad one is a 400 before anything is sent), the rows come later in batches from a
   * cursor, so that 100,000 of them are never held at once. Columns: the fields asked for, or every
   * field the user may read but lines; each batch masked like a list.
   */
  scan(
    modelId: string,
    query: ListQuery,
  ): { model: ModelDef; fields: string[]; rows(onBatch: (records: RecordData[]) => Promise<void>): Promise<void> } {
    const model = this.readableModel(modelId);
    const readable = this.readable(model);
    for (const key of ['limit', 'offset'])
      if (key in query) throw AtriumError.invalidField(key, 'parameter', `unknown parameter "${key}": an export has no pages`);
    const params = parseListParams(model, query, readable, this.sortable(model));
    const fields = (params.fields ?? Object.keys(model.fields).filter(readable)).filter((f) => typeOf(model.fields[f]).kind !== 'lines');
    const { schema } = this.ctx.scope;
    const where = this.where(model, params.filter ? [conditionToSql(model, 'a', params.filter, schema)] : []);
    const order = params.sort ? sortSql(schema, model, 'a', params.sort) : this.defaultOrder(model, 'a');
    const json = recordJson(schema, model, 'a', { fields, precision: this.ctx.precision });
    const rows = (onBatch: (records: RecordData[]) => Promise<void>) =>
      this.ctx.scope.db.transaction(this.ctx.actor.tenantId, async (tx) => {
        await tx.query(
          sql`DECLARE atrium_export NO SCROLL CURSOR FOR SELECT ${json} AS r FROM ${ident(model.table)} a WHERE ${where} ORDER BY ${order}, a.id LIMIT ${EXPORT_CAP}`,
        );
        for (;;) {
          const batch = await tx.rows<{ r: RecordData }>(sql`FETCH ${raw(String(EXPORT_BATCH))} FROM atrium_export`);
          if (batch.length === 0) return;
          await onBatch(
            this.ctx.mask(
              model,
              batch.map((row) => row.r),
            ),
          );
        }
      });
    return { model, fields, rows };
  }

  /**
   * Ids of the records of `target` the user may read whose display is one of `names` (an import's
   * relations by name). Nothing is found by a display the user may not read.
   */
  async idsByDisplay(target: ModelDef, names: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (!target.display || names.length === 0 || !this.readable(target)(target.display)) return found;
    const column = ident(target.fields[target.display].column!);
    const [result] = await this.ctx.scope.db.batch(this.ctx.actor.tenantId, [
      sql`SELECT a.id, a.${column}::text AS name FROM ${ident(target.table)} a WHERE ${this.where(target, [sql`a.${column}::text = ANY(${names}::text[])`])}`,
    ]);
    for (const row of result.rows as { id: string; name: string }[]) found.set(row.name, [...(found.get(row.name) ?? []), row.id]);
    return found;
  }

  /** Kanban columns: count (and sum) per value of a field, computed by the database. */
  async groups(modelId: string, query: ListQuery): Promise<{ data: Group[] }> {
    const model = this.ctx.model(modelId);
    this.ctx.requireAny('read', model);
    const readable = this.readable(model);
    const { by, sum, ...rest } = query;
    for (const key of Object.keys(rest))
      if (key !== 'filter') throw AtriumError.invalidField(key, 'parameter', `unknown parameter "${key}"`);
    if (typeof by !== 'string' || !by) throw AtriumError.invalidField('by', 'required', 'names the field to group by');
    const field = Object.hasOwn(model.fields, by) && readable(by) ? model.fields[by] : undefined;
    if (!field) throw AtriumError.invalidField('by', 'field', `unknown field "${by}"`);
    const type = typeOf(field);
    if (!type.groupable) throw AtriumError.invalidField('by', 'field', `cannot group by a ${field.type} field`);
    const sumField =
      sum === undefined
        ? undefined
        : typeof sum === 'string' && Object.hasOwn(model.fields, sum) && readable(sum)
          ? model.fields[sum]
          : null;
    if (sumField === null) throw AtriumError.invalidField('sum', 'field', `unknown field "${String(sum)}"`);
    if (sumField && !typeOf(sumField).summable) throw AtriumError.invalidField('sum', 'field', `cannot sum a ${sumField.type} field`);

    const filter = filterParam(model, rest, readable);
    const sumOf = sumField
      ? (column: Sql): Sql => sqlOf(sumField).sum?.(column, this.ctx.precision) ?? sql`coalesce(sum(${column}), 0)::float8`
      : undefined;
    const { tenantId } = this.ctx.actor;
    const totals = this.groupsFromTotals(model, field, sumField, filter);
    const groups = totals
      ? totalsGroupsSql(tenantId, totals.pair, field, totals.archived, sumOf)
      : sql`SELECT ${columnOf(model, 'a', by)} AS key, count(*)::int AS count${sumOf ? sql`, ${sumOf(columnOf(model, 'a', sumField!.name))} AS sum` : raw('')}
          FROM ${ident(model.table)} a WHERE ${this.where(model, filter ? [conditionToSql(model, 'a', filter, this.ctx.scope.schema)] : [])} GROUP BY 1`;
    const target = this.referenced(field);
    const label = target?.display ? sql`x.${ident(target.fields[target.display].column!)}::text` : raw('NULL');
    const joined = target ? sql` LEFT JOIN ${ident(target.table)} x ON x.tenant_id = ${tenantId}::uuid AND x.id = g.key` : raw('');
    const [result] = await this.ctx.scope.db.batch(tenantId, [
      sql`SELECT g.*, ${label} AS label FROM (${groups}) g${joined}${raw(totals ? ' WHERE g.count > 0' : '')} ORDER BY ${this.columnOrder(field)}`,
    ]);
    const first = result.rows[0];
    if (totals && first && first.deltas - first.keys > FOLD_AFTER)
      await this.ctx.scope.db.batch(tenantId, [foldTotalsSql(tenantId, model.id)]);
    const displayHidden = target && this.ctx.scope.ability && !this.ctx.scope.ability.can('read', target.id, target.display);
    return {
      data: result.rows.map((row) => ({
        key: row.key instanceof Date ? row.key.toISOString() : row.key,
        label: type.groupLabel
          ? type.groupLabel(field, row.key)
          : displayHidden
            ? null
            : (row.label ?? (row.key === null ? null : String(row.key))),
        count: row.count,
        ...(sumField ? { sum: row.sum } : {}),
      })),
    };
  }

  /**
   * The database's totals for these columns when they are the scan's answer: a kept pair, no filter or
   * exactly `{"archived": …}`, and a read rule without conditions (an owner rule counts fewer rows).
   */
  private groupsFromTotals(
    model: ModelDef,
    by: FieldDef,
    sum: FieldDef | undefined,
    filter: Condition | undefined,
  ): { pair: TotalsPair; archived: boolean | undefined } | undefined {
    const pair = keptTotals(this.ctx.scope.schema.registry, model, by, sum);
    if (!pair || this.ctx.ruleSql('read', model) !== undefined) return undefined;
    const archived = totalsFilter(pair, filter);
    return archived === null ? undefined : { pair, archived };
  }

  /**
   * Kanban columns in the order users expect: the empty value first, then a many2one's records in their
   * model's order (stages by sequence), a selection's values in declared order (draft, sent, sale).
   */
  private columnOrder(field: FieldDef): Sql {
    const target = this.referenced(field);
    if (target) return sql`g.key IS NOT NULL, ${this.defaultOrder(target, 'x')}`;
    if (field.options) return sql`array_position(${field.options.map((o) => o.value)}::text[], g.key) NULLS FIRST`;
    return raw('g.key NULLS FIRST');
  }

  /** One record with its lines, as the user may read it; 404 when it does not exist for them. */
  async get(modelId: string, id: string): Promise<RecordData> {
    const model = this.ctx.model(modelId);
    this.ctx.requireAny('read', model);
    const record = await this.find(model, id);
    if (!record) throw AtriumError.notFound();
    return record;
  }

  /** The record as the user may read it, or null; inside `tx` when given (see findStored for `lock`). */
  async find(model: ModelDef, id: string, tx?: Transaction, lock = true): Promise<RecordData | null> {
    const row = await this.findStored(model, id, tx, lock);
    return row ? this.ctx.mask(model, [row])[0] : null;
  }

  /**
   * The record as it is stored, unmasked, if the user may read it: what rules, `when` conditions and
   * hooks judge (a mask would hide the very fields a rule names). Inside `tx` it is locked for update
   * unless `lock` is false (a hook's plain read, e.g. of a lead's stage, must not make every write of
   * that stage queue).
   */
  async findStored(model: ModelDef, id: string, tx?: Transaction, lock = true): Promise<RecordData | null> {
    if (!isUuid(id)) return null;
    const json = recordJson(this.ctx.scope.schema, model, 'a', { lines: true, precision: this.ctx.precision });
    const statement = prepared(
      sql`SELECT ${json} AS r FROM ${ident(model.table)} a WHERE ${this.where(model, [sql`a.id = ${id}::uuid`])}${tx && lock ? raw(' FOR UPDATE OF a') : raw('')}`,
    );
    const [result] = tx ? await tx.query(statement) : await this.ctx.scope.db.batch(this.ctx.actor.tenantId, [statement]);
    return (result.rows[0]?.r as RecordData | undefined) ?? null;
  }

  /** Who changed what and when, from the event log, masked like a read. */
  async history(modelId: string, id: string): Promise<{ data: RecordData[] }> {
    const model = this.ctx.model(modelId);
    this.ctx.requireAny('read', model);
    if (!(await this.find(model, id))) throw AtriumError.notFound();
    const [result] = await this.ctx.scope.db.batch(this.ctx.actor.tenantId, [
      sql`SELECT e.seq, e.op, e.at, e.actor, u.name AS actor_name, e.changes, e.record FROM core_events e
          LEFT JOIN core_users u ON u.tenant_id = e.tenant_id AND u.id = e.actor
          WHERE e.tenant_id = ${this.ctx.actor.tenantId}::uuid AND e.model = ${model.id} AND e.record_id = ${id}::uuid AND e.op <> 'chatter' ORDER BY e.seq`,
    ]);
    let previous: RecordData | null = null;
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const data = result.rows.flatMap((row) => {
      const [record] = row.record ? this.ctx.mask(model, [row.record as RecordData]) : [null];
      const before: RecordData | null = previous;
      previous = record;
      // Values from the masked snapshot, not the stored changes: they hold lines and display names unmasked.
      // A field a write named but left as it was is no change ("Closed on: — → —"); an update left with
      // none (or only fields this user may not read) is no entry.
      const changes = record
        ? Object.fromEntries(
            Object.keys(row.changes as RecordData)
              .filter((k) => Object.hasOwn(record, k) && !(row.op === 'updated' && before && same(before[k], record[k])))
              .map((k) => [k, record[k]]),
          )
        : {};
      if (row.op === 'updated' && Object.keys(changes).length === 0) return [];
      return [
        {
          cursor: String(row.seq),
          op: row.op,
          at: row.at,
          actor: row.actor ? { id: row.actor, display: row.actor_name } : null,
          changes,
          ...(before ? { previous: Object.fromEntries(Object.keys(changes).map((k) => [k, before[k] ?? null])) } : {}),
        },
      ];
    });
    return { data };
  }
}
