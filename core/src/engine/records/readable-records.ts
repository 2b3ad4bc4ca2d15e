import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { ident, raw, sql, type Sql } from '../../store/sql.ts';
import { displayOf } from '../field-types/display-sql.ts';
import { ruleSqlOf } from '../rbac/ability-to-sql.ts';
import type { Session } from '../tenancy/sessions.ts';

/**
 * The records among `ids` of `model` that the session may read, with their display (`id`, `display`): the
 * read rules of a REST read. What tells of a record outside the record API (a notification, presence on
 * it) asks this first, so it never reaches a user who could not open the record.
 */
export function readableRecordsSql(session: Pick<Session, 'tenant' | 'ability' | 'schema'>, model: ModelDef, ids: string[]): Sql {
  const rule = ruleSqlOf(session.ability, 'read', model, session.schema) ?? raw('TRUE');
  return sql`SELECT a.id, ${displayOf(model, raw('a'))} AS display FROM ${ident(model.table)} a
    WHERE a.tenant_id = ${session.tenant.id}::uuid AND a.id = ANY(${ids}::uuid[]) AND ${rule}`;
}
