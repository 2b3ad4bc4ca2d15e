import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';

/** A cell as it is written out: text, a number kept exact (money, decimals), a boolean, or empty. */
export type Cell = string | number | boolean | null | { decimal: string };

export interface ExportColumn {
  name: string;
  label: string;
  cell(record: RecordData): Cell;
}

type Reference = { id: string; display: string | null } | null;

/** A relation as people read it: its display name (its id only when the user may not read the name). */
const nameOf = (value: Reference): string | null => (value ? (value.display ?? value.id) : null);

function cellOf(field: FieldDef, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (typeOf(field).kind) {
    case 'reference':
      return nameOf(value as Reference);
    case 'links':
      // Names joined by ", ", as the import splits them (a name holding a comma is exported by id instead).
      return (value as NonNullable<Reference>[]).map((v) => (v.display && !v.display.includes(',') ? v.display : v.id)).join(', ');
    case 'selection':
      return field.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'decimal':
      return { decimal: String(value) };
    case 'json':
      return JSON.stringify(value);
    case 'integer':
    case 'number':
    case 'boolean':
      return value as number | boolean;
    default:
      return String(value);
  }
}

/** The columns of an export: the record's id (so that a re-import updates), then the fields in order. */
export function exportColumns(model: ModelDef, fields: string[]): ExportColumn[] {
  return [
    { name: 'id', label: 'ID', cell: (record) => record.id as string },
    ...fields.map((name) => {
      const field = model.fields[name];
      // A field the record's own mask hid (rules with different field lists) is left empty.
      return { name, label: field.label, cell: (record: RecordData) => cellOf(field, record[name]) };
    }),
  ];
}
