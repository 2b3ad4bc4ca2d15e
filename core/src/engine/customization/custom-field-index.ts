import type { Database } from '../../store/database.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, literal, raw, sql } from '../../store/sql.ts';
import { columnSql } from '../field-types/column-sql.ts';

/**
 * Kinds whose value, cast from the jsonb text, can be indexed: the cast must be immutable (text to date or
 * timestamptz depends on the session's settings, so those are not), and the index must serve a sort or a
 * comparison (a json value, or a many2one sorted by its target's display, gains nothing).
 */
const INDEXED = new Set(['text', 'selection', 'integer', 'number', 'decimal', 'boolean', 'reference']);

/** The index of one tenant's custom field, named by the definition's id. */
const indexName = (definitionId: string): string => `custom_${definitionId.replaceAll('-', '')}_idx`;

/**
 * A partial index on the field's expression, for this tenant's rows only (the record path inlines the
 * tenant id as a literal, so the planner matches the predicate). Built as the owner (the runtime role owns
 * no table), after the definition committed; on PostgreSQL CONCURRENTLY, so other tenants' writes to the
 * shared table never wait for it. A failure leaves the field working, only unindexed.
 */
export async function indexCustomField(
  db: Database,
  tenantId: string,
  definitionId: string,
  model: ModelDef,
  field: FieldDef,
): Promise<void> {
  if (!INDEXED.has(typeOf(field).kind)) return;
  const concurrently = raw(db.kind === 'postgresql' ? 'CONCURRENTLY ' : '');
  await db.system(
    sql`CREATE INDEX ${concurrently}IF NOT EXISTS ${ident(indexName(definitionId))} ON ${ident(model.table)} (${columnSql(field)})
      WHERE tenant_id = ${raw(literal(tenantId))}::uuid`,
  );
}

/** Drops a removed field's index (its values stay; re-creating the field builds it again). */
export async function dropCustomFieldIndex(db: Database, definitionId: string): Promise<void> {
  const concurrently = raw(db.kind === 'postgresql' ? 'CONCURRENTLY ' : '');
  await db.system(sql`DROP INDEX ${concurrently}IF EXISTS ${ident(indexName(definitionId))}`);
}
