import { createHash } from 'node:crypto';
import type { TotalsPair } from './group-totals-pairs.ts';
import { ident, join, raw, sql, toText, type Sql } from './sql.ts';

/**
 * The triggers that keep core_group_totals (migration 0023) for the pairs of one table, and the scan that
 * fills it. Statement-level, with transition tables: a statement writing 10,000 rows inserts one delta row
 * per key it changed, never updates a shared row (no lock every create of a tenant queues on). An update
 * leaving the keys and sums as they were inserts nothing.
 */

const TRIGGERS = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const;
const triggerName = (event: keyof typeof TRIGGERS): string => `atrium_group_totals_${event}`;
const functionName = (table: string): string => `atrium_group_totals_${table}`;
const COLUMNS = raw('tenant_id, model, group_by, sum_field, archived, key, count, sum');

/** The pair's rows of `source` as deltas: count `sign` each, sum `sign` × the value. */
function deltas(pair: TotalsPair, source: string, sign: 1 | -1): Sql {
  const archived = pair.archivedColumn ? sql`${ident(pair.archivedColumn)}` : raw('NULL::boolean');
  const value = pair.sumColumn ? sql`coalesce(${ident(pair.sumColumn)}, 0)::numeric` : raw('0::numeric');
  return sql`SELECT tenant_id, ${pair.model}::text AS model, ${pair.groupBy}::text AS group_by, ${pair.sum}::text AS sum_field,
    ${archived} AS archived, ${ident(pair.groupColumn)}::text AS key, ${raw(String(sign))} AS c, ${raw(String(sign))} * ${value} AS s FROM ${ident(source)}`;
}

/** One row per key of the deltas of `sources`, those that change something. */
function folded(pairs: TotalsPair[], sources: [string, 1 | -1][]): Sql {
  const parts = pairs.flatMap((pair) => sources.map(([source, sign]) => deltas(pair, source, sign)));
  return sql`INSERT INTO core_group_totals (${COLUMNS}) SELECT tenant_id, model, group_by, sum_field, archived, key, sum(c), sum(s)
    FROM (${join(parts, ' UNION ALL ')}) d GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(c) <> 0 OR sum(s) <> 0`;
}

/** The trigger function of one table (plpgsql parses a branch only when it runs: each names only its event's transition tables). */
function triggerFunction(table: string, pairs: TotalsPair[]): Sql {
  const inserted = folded(pairs, [['group_totals_new', 1]]);
  const updated = folded(pairs, [
    ['group_totals_new', 1],
    ['group_totals_old', -1],
  ]);
  const deleted = folded(pairs, [['group_totals_old', -1]]);
  return raw(`CREATE OR REPLACE FUNCTION ${toText(ident(functionName(table)))}() RETURNS trigger LANGUAGE plpgsql AS $totals$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${toText(inserted)};
  ELSIF TG_OP = 'UPDATE' THEN
    ${toText(updated)};
  ELSE
    ${toText(deleted)};
  END IF;
  RETURN NULL;
END $totals$`);
}

/** Drops a table's triggers and function (a table no kanban view groups any more, or before recreating them). */
export function dropTotalsTriggers(table: string): Sql[] {
  return [
    ...Object.keys(TRIGGERS).map(
      (event) => sql`DROP TRIGGER IF EXISTS ${ident(triggerName(event as keyof typeof TRIGGERS))} ON ${ident(table)}`,
    ),
    sql`DROP FUNCTION IF EXISTS ${ident(functionName(table))}()`,
  ];
}

/** A table's function and its three triggers (PostgreSQL allows transition tables only on single-event triggers). */
function createTotalsTriggers(table: string, pairs: TotalsPair[]): Sql[] {
  const on = (event: keyof typeof TRIGGERS, referencing: string): Sql =>
    sql`CREATE TRIGGER ${ident(triggerName(event))} AFTER ${raw(TRIGGERS[event])} ON ${ident(table)}
      REFERENCING ${raw(referencing)} FOR EACH STATEMENT EXECUTE FUNCTION ${ident(functionName(table))}()`;
  return [
    triggerFunction(table, pairs),
    on('insert', 'NEW TABLE AS group_totals_new'),
    on('update', 'OLD TABLE AS group_totals_old NEW TABLE AS group_totals_new'),
    on('delete', 'OLD TABLE AS group_totals_old'),
  ];
}

/** Tables that have the triggers now. */
export const tablesWithTotalsTriggers = (): Sql =>
  sql`SELECT DISTINCT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND t.tgname = ${triggerName('insert')}`;

/**
 * Everything rebuilt, for a database whose triggers were made for other pairs (or none): the triggers first
 * (CREATE TRIGGER waits for the writes in progress and holds off new ones until commit), then the totals from
 * one scan of each table, in the same transaction — so no write is counted twice or missed.
 */
export function rebuildTotalsSql(pairs: TotalsPair[], triggered: string[]): Sql[] {
  const tables = [...new Set(pairs.map((p) => p.table))];
  return [
    ...triggered.filter((table) => !tables.includes(table)).flatMap(dropTotalsTriggers),
    ...tables.flatMap((table) => [
      ...dropTotalsTriggers(table),
      ...createTotalsTriggers(
        table,
        pairs.filter((p) => p.table === table),
      ),
    ]),
    sql`DELETE FROM core_group_totals`,
    ...tables.map((table) =>
      folded(
        pairs.filter((p) => p.table === table),
        [[table, 1]],
      ),
    ),
  ];
}

/** What the triggers are built from: a change of a view's group_by or sum (or of their columns) rebuilds them. */
export const totalsFingerprint = (pairs: TotalsPair[]): string =>
  createHash('sha256')
    .update(JSON.stringify({ version: 1, pairs }))
    .digest('hex')
    .slice(0, 16);
