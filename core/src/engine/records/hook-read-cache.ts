import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { ident, prepared, sql, type Sql } from '../../store/sql.ts';
import { expectSql } from '../../store/refusal-sql.ts';
import type { HookReads, RecordContext } from './record-context.ts';
import { recordJson } from './record-json.ts';
import type { WriteUnit } from './write-unit.ts';

/** An entry is read again after this long, whatever the log says (retention may prune the event it was checked against). */
const TTL_MS = 60_000;
/** Entries kept on a node; past it the oldest go. A stage, a tag, a tax: a few per tenant. */
const MAX_ENTRIES = 5_000;

interface Entry {
  /** The model as the reading tenant's schema had it: a schema changed since (a custom field) has other objects. */
  model: ModelDef;
  record: RecordData;
  /** The record's last event in the log when it was read (null: none left). */
  cursor: string | null;
  readAt: number;
}

const own = new WeakMap<ModelDef, boolean>();

/**
 * Whether a model's record, as read, is its own row alone (no relation, whose display or lines change with
 * other records' events) and is only written through the record path (not a core model of the admin API).
 */
function selfContained(model: ModelDef): boolean {
  let known = own.get(model);
  if (known === undefined) {
    known = !model.system && Object.values(model.fields).every((f) => !['reference', 'links', 'lines'].includes(typeOf(f).kind));
    own.set(model, known);
  }
  return known;
}

/**
 * The records that module hooks read by id (a lead's stage), kept on this node so that a create needs no
 * round trip of its own for them: the write is sent once, with its checks, insert, event and COMMIT.
 *
 * Served only with proof: each entry keeps the record's last event cursor, and a write that used it sends,
 * ahead of its own statements, a check that the record has no later event. Every change of a record commits
 * with its event (the single write path), so a change on any node makes the check refuse (`stale_read`); the
 * write then runs again, reading afresh (RecordWriter.transaction). A record changed by the reading unit
 * itself (its events not yet written) is never served nor kept. Only records whose JSON is their own row
 * qualify: a many2one's display would change with another record's event.
 *
 * `undefined`: not for the cache (the caller reads as usual).
 */
export class HookReadCache implements HookReads {
  private readonly entries = new Map<string, Entry>();

  async get(ctx: RecordContext, unit: WriteUnit, model: ModelDef, id: string): Promise<RecordData | null | undefined> {
    if (unit.cachedReads === 'none' || !isUuid(id) || !selfContained(model) || unit.events.some((e) => e.model === model)) return undefined;
    const tenantId = ctx.actor.tenantId;
    const key = `${tenantId}|${model.id}|${id}|${ctx.precision}`;
    const hit = this.entries.get(key);
    if (hit?.model === model && unit.cachedReads === 'use' && performance.now() - hit.readAt < TTL_MS) {
      unit.tx.defer(unchangedSql(tenantId, model, id, hit.cursor));
      return structuredClone(hit.record);
    }
    const json = recordJson(ctx.scope.schema, model, 'a', { lines: true, precision: ctx.precision });
    const [row] = await unit.tx.rows<{ r: RecordData; c: string | null }>(
      prepared(sql`SELECT ${json} AS r, (${lastEventSql(tenantId, model, sql`a.id`)}) AS c FROM ${ident(model.table)} a
        WHERE a.tenant_id = ${tenantId}::uuid AND a.id = ${id}::uuid`),
    );
    if (!row) return null;
    this.entries.delete(key);
    this.entries.set(key, {
      model,
      record: structuredClone(row.r),
      cursor: row.c === null ? null : String(row.c),
      readAt: performance.now(),
    });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return row.r;
  }
}

const lastEventSql = (tenantId: string, model: ModelDef, id: Sql): Sql =>
  sql`SELECT max(e.seq) FROM core_events e WHERE e.tenant_id = ${tenantId}::uuid AND e.model = ${model.id} AND e.record_id = ${id}`;

/** Refuses (`stale_read`) if the record has an event after `cursor`: it changed since it was read. */
function unchangedSql(tenantId: string, model: ModelDef, id: string, cursor: string | null): Sql {
  const last = lastEventSql(tenantId, model, sql`${id}::uuid`);
  return prepared(sql`SELECT ${expectSql(sql`(${last}) IS NOT DISTINCT FROM ${cursor}::bigint`, 'stale_read', model.id)}`);
}
