import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import type { Sql } from '../../store/sql.ts';

/** What building a record's JSON needs (record-json.ts hands in its own recursion for lines). */
export interface ReadContext {
  schema: TenantSchema;
  /** Decimal places of money in the tenant's currency. */
  precision: number;
  depth: number;
  /** A line as a JSON record, and the order of lines. */
  record(target: ModelDef, alias: string, depth: number): Sql;
  order(target: ModelDef, alias: string): Sql;
}

/**
 * The SQL of a kind of value beyond a plain column (kernel/field-types holds the rest of a type): how
 * it is read into the API's JSON, summed, sorted and filtered. A type a module registers builds on a
 * kind, so it gets that kind's SQL.
 */
export interface FieldSql {
  /** The value of the row aliased `alias` as the API returns it (default: the column). */
  read?(field: FieldDef, alias: Sql, context: ReadContext): Sql;
  /** A group's total of the column (default: a float8). */
  sum?(column: Sql, precision: number): Sql;
  /** The ORDER BY key (default: the column). */
  sort?(schema: TenantSchema, field: FieldDef, alias: Sql): Sql | undefined;
  /** A condition on the field; undefined (or no hook): the column compared with the cast value. */
  filter?(field: FieldDef, alias: Sql, op: string, value: unknown, schema: TenantSchema): Sql | undefined;
}
