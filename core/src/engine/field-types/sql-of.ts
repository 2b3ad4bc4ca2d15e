import type { FieldDef } from '../../kernel/registry/registry-types.ts';
import type { ValueKind } from '../../kernel/field-types/field-type.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { decimalSql } from './decimal-sql.ts';
import type { FieldSql } from './field-sql.ts';
import { linesSql } from './lines-sql.ts';
import { linksSql } from './links-sql.ts';
import { referenceSql } from './reference-sql.ts';

const BY_KIND: Partial<Record<ValueKind, FieldSql>> = { decimal: decimalSql, reference: referenceSql, links: linksSql, lines: linesSql };

/** The SQL of the field's kind of value. */
export const sqlOf = (field: FieldDef): FieldSql => BY_KIND[typeOf(field).kind] ?? {};
