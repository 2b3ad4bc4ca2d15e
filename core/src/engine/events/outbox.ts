import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, prepared, raw, sql, type Sql } from '../../store/sql.ts';
import { expectSql } from '../../store/refusal-sql.ts';

/**
 * The outbox: every write appends its event in the same transaction, in the same round trip.
 *
 * Cursors in commit order: the next cursor of a tenant is taken by incrementing its row in
 * core_event_cursors, which locks that row until the transaction ends. A second writer of the same
 * tenant waits there, so it can only take cursor n+1 after the holder of n has committed (or rolled
 * back, freeing n again). Within a tenant, cursor order is therefore commit order, and a reader that has
 * seen n has seen everything below it. The lock is taken by the last statement before COMMIT, so it is
 * held only for the commit itself; tenants never wait on each other.
 */
export const EVENTS_CHANNEL = 'atrium_events';

export interface EventWrite {
  tenantId: string;
  actor: string | null;
  model: ModelDef;
  op: 'created' | 'updated' | 'deleted';
  /** Fields the write changed (their new values are copied from the record into `changes`). */
  changed: string[];
  /** The HTTP request that caused it (see http/request-id.ts), if any. */
  requestId: string | null;
}

const nextCursor = (tenantId: string): Sql =>
  sql`UPDATE core_event_cursors SET last = last + 1 WHERE tenant_id = ${tenantId}::uuid RETURNING last`;

/**
 * Takes `count` cursors at once; returns the last. For a transaction with many events (an import):
 * updating the cursor row once per event would walk an ever longer chain of that row's versions, so
 * thousands of events would cost quadratic time. Locks the row until the transaction ends, as nextCursor does.
 */
export const reserveCursorsSql = (tenantId: string, count: number): Sql =>
  sql`UPDATE core_event_cursors SET last = last + ${count}::bigint WHERE tenant_id = ${tenantId}::uuid RETURNING last`;

/** The statement's result: the cursor and the record (`j`, keeping field order). The commit is announced after COMMIT (see bus.ts). */
function finish(insert: Sql, record: Sql): Sql {
  return sql`${insert} SELECT e.seq, ${record} AS record FROM e`;
}

/**
 * Event for a created or updated record: `row` selects (id, version, j) where j is the record as the
 * API shapes it; that snapshot is stored with the event, and returned as the write's response. `seq`:
 * a cursor reserved beforehand (reserveCursorsSql), else the next one is taken.
 */
export function recordEventSql(e: EventWrite, row: Sql, seq?: number): Sql {
  const cursor = seq === undefined ? nextCursor(e.tenantId) : sql`SELECT ${seq}::bigint AS last`;
  // Prepared: planning this statement (the record's JSON with its relations' names and lines) cost more than running it.
  return prepared(
    finish(
      sql`WITH s AS (${cursor}), r AS (${row}),
    e AS (INSERT INTO core_events (tenant_id, seq, model, record_id, op, version, actor, changes, record, request_id)
      SELECT ${e.tenantId}::uuid, s.last, ${e.model.id}, r.id, ${e.op}, r.version, ${e.actor}::uuid,
        (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(r.j::jsonb) WHERE key = ANY(${e.changed}::text[])),
        r.j::jsonb, ${e.requestId}::text
      FROM s, r RETURNING seq)`,
      raw('(SELECT r.j FROM r)'),
    ),
  );
}

/** Deletes the row (aliased `a`, matching `where`) and records its event; the refusal `no_row` when nothing matched. */
export function deleteWithEventSql(e: EventWrite, where: Sql): Sql {
  return finish(
    sql`WITH d AS (DELETE FROM ${ident(e.model.table)} a WHERE ${where} RETURNING a.id, a.version),
    ok AS (SELECT ${expectSql(sql`(SELECT count(*) FROM d) = 1`, 'no_row')} AS ok),
    s AS (UPDATE core_event_cursors SET last = last + 1 WHERE tenant_id = ${e.tenantId}::uuid AND (SELECT ok FROM ok) RETURNING last),
    e AS (INSERT INTO core_events (tenant_id, seq, model, record_id, op, version, actor, changes, record, request_id)
      SELECT ${e.tenantId}::uuid, s.last, ${e.model.id}, d.id, 'deleted', d.version, ${e.actor}::uuid, '{}'::jsonb, NULL, ${e.requestId}::text
      FROM s, d RETURNING seq)`,
    raw('NULL'),
  );
}
