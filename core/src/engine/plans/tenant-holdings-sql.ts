import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, join, sql, type Sql } from '../../store/sql.ts';

/**
 * What a tenant holds, as the usage page and the plan's limits count it: rows `(model, records, bytes)`,
 * one per model, and the bytes of its history. Storage is the records' and the events' size in the
 * database (pg_column_size of each row), not the files PostgreSQL keeps around them.
 */
export function recordsPerModelSql(tenantId: string, models: ModelDef[]): Sql {
  if (models.length === 0) return sql`SELECT NULL::text AS model, 0 AS records, 0::bigint AS bytes WHERE false`;
  const perTable = models.map(
    (m) =>
      sql`SELECT ${m.id} AS model, count(*)::int AS records, coalesce(sum(pg_column_size(x.*)), 0)::bigint AS bytes FROM ${ident(m.table)} x WHERE x.tenant_id = ${tenantId}::uuid`,
  );
  return join(perTable, ' UNION ALL ');
}

export const eventBytesSql = (tenantId: string): Sql =>
  sql`SELECT coalesce(sum(pg_column_size(e.*)), 0)::bigint AS bytes FROM core_events e WHERE e.tenant_id = ${tenantId}::uuid`;
