import type { FieldProblem } from '../../kernel/errors.ts';
import type { FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { isSystemField } from '../../kernel/system-fields.ts';
import type { ImportError, ImportRow } from '../records/import-result.ts';
import { isBlank, type ImportCell, type ImportTable } from './import-file.ts';

/** Which field each column of the file fills: a field name, "id", or null (the column is skipped). */
export type ColumnMapping = Record<string, string | null>;

/** Ids of a model's records by display name, as the user may read them. */
export type NamesLookup = (target: ModelDef, names: string[]) => Promise<Map<string, string[]>>;

const fold = (text: string): string => text.trim().toLowerCase();

/** The field a column header names: "id", a field's name, else its label (case and spaces aside). */
function matchHeader(model: ModelDef, header: string): string | undefined {
  if (fold(header) === 'id') return 'id';
  if (Object.hasOwn(model.fields, header)) return header;
  const fields = Object.values(model.fields);
  return (fields.find((f) => fold(f.name) === fold(header)) ?? fields.find((f) => fold(f.label) === fold(header)))?.name;
}

/** Each column's field (null: skipped), from the mapping the client sent or matched by name and label, and the problems of bad columns. */
export function columnFields(
  model: ModelDef,
  header: string[],
  mapping: ColumnMapping | undefined,
): { fields: (string | null)[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const fields = header.map((column) => {
    const mapped = mapping && Object.hasOwn(mapping, column);
    const name = mapped ? mapping[column] : matchHeader(model, column);
    const at = `columns.${column}`;
    if (name === null || (name === undefined && column === '')) return null;
    if (name === undefined) {
      problems.push({ field: at, rule: 'column', message: `matches no field of ${model.label}: map it to a field or skip it` });
      return null;
    }
    if (name !== 'id' && !Object.hasOwn(model.fields, name)) {
      problems.push({
        field: at,
        rule: 'column',
        message: isSystemField(name) ? 'is set by the server and cannot be imported' : `"${name}" is not a field of ${model.label}`,
      });
      return null;
    }
    if (name !== 'id' && typeOf(model.fields[name]).kind === 'lines')
      problems.push({ field: at, rule: 'column', message: 'lines cannot be imported as a column' });
    // Read-only fields (totals, numbers a hook assigns) come with every export: a re-import leaves them to the server.
    if (name !== 'id' && model.fields[name].readonly) return null;
    if (seen.has(name)) problems.push({ field: at, rule: 'column', message: `another column already fills "${name}"` });
    seen.add(name);
    return name;
  });
  return { fields, problems };
}

type Converted = { value: unknown } | { problem: string };

const TRUE = new Set(['true', 'yes', '1', 'y', 'x', 'on']);
const FALSE = new Set(['false', 'no', '0', 'n', 'off']);

/** A cell as the API's value for the field (the body checks that follow judge its range, length, format). */
function convert(field: FieldDef, cell: Exclude<ImportCell, null>, names: Map<string, Map<string, string[]>>): Converted {
  const text = cell instanceof Date ? cell.toISOString() : String(cell).trim();
  switch (typeOf(field).kind) {
    case 'integer':
    case 'number': {
      const number = typeof cell === 'number' ? cell : Number(text);
      return text !== '' && Number.isFinite(number) ? { value: number } : { problem: 'must be a number' };
    }
    case 'boolean':
      if (typeof cell === 'boolean') return { value: cell };
      return TRUE.has(fold(text))
        ? { value: true }
        : FALSE.has(fold(text))
          ? { value: false }
          : { problem: 'must be true or false (yes/no, 1/0)' };
    case 'date':
      return { value: text.slice(0, 10) };
    case 'selection': {
      const option = field.options?.find((o) => o.value === text) ?? field.options?.find((o) => fold(o.label) === fold(text));
      return { value: option?.value ?? text };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { problem: 'must be JSON' };
      }
    case 'reference':
      return referenceOf(field, text, names);
    case 'links': {
      const ids: string[] = [];
      for (const part of text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const one = referenceOf(field, part, names);
        if ('problem' in one) return one;
        ids.push(one.value as string);
      }
      return { value: ids };
    }
    default:
      return { value: typeof cell === 'number' && typeOf(field).kind === 'decimal' ? String(cell) : text };
  }
}

/** A relation by id, or by display name when exactly one record the user may read carries it. */
function referenceOf(field: FieldDef, text: string, names: Map<string, Map<string, string[]>>): Converted {
  if (isUuid(text)) return { value: text.toLowerCase() };
  const ids = names.get(field.name)?.get(text) ?? [];
  if (ids.length === 1) return { value: ids[0] };
  return { problem: ids.length === 0 ? `no record named "${text}"` : `several records are named "${text}": use the id` };
}

/** Names to look up per relation column: every cell that is not an id. */
async function lookupNames(
  model: ModelDef,
  fields: (string | null)[],
  rows: ImportCell[][],
  resolve: (id: string) => ModelDef | undefined,
  lookup: NamesLookup,
) {
  const names = new Map<string, Map<string, string[]>>();
  for (const [i, name] of fields.entries()) {
    const field = name && name !== 'id' ? model.fields[name] : undefined;
    const kind = field && typeOf(field).kind;
    if (kind !== 'reference' && kind !== 'links') continue;
    const texts = new Set<string>();
    for (const row of rows) {
      const cell = row[i];
      if (cell === null || cell === '') continue;
      const parts = kind === 'links' ? String(cell).split(',') : [String(cell)];
      for (const part of parts.map((p) => p.trim())) if (part && !isUuid(part)) texts.add(part);
    }
    const target = resolve(field!.target!);
    names.set(field!.name, target ? await lookup(target, [...texts]) : new Map());
  }
  return names;
}

/**
 * The file's rows as writes: a row with an id updates that record (an empty cell clears the field), one
 * without creates (an empty cell leaves the field to its default). Cells that cannot be a value of their
 * field are errors of their row, found before anything is written.
 */
export async function planImport(
  model: ModelDef,
  file: ImportTable,
  mapping: ColumnMapping | undefined,
  resolve: (id: string) => ModelDef | undefined,
  lookup: NamesLookup,
): Promise<{ rows: ImportRow[]; errors: ImportError[]; fields: (string | null)[] }> {
  const { fields, problems } = columnFields(model, file.header, mapping);
  // Bad columns are errors of the header row (row 1): the rows are not looked at until they are mapped.
  if (problems.length > 0) return { rows: [], errors: problems.map((p) => ({ row: 1, field: p.field, message: p.message })), fields };
  const names = await lookupNames(model, fields, file.rows, resolve, lookup);
  const idColumn = fields.indexOf('id');
  const rows: ImportRow[] = [];
  const errors: ImportError[] = [];
  file.rows.forEach((cells, index) => {
    if (isBlank(cells)) return;
    const row = index + 2;
    const idCell = idColumn >= 0 ? cells[idColumn] : null;
    const id = idCell === null || idCell === '' ? undefined : String(idCell).trim();
    if (id !== undefined && !isUuid(id)) {
      errors.push({ row, field: 'id', message: 'no record with this id' });
      return;
    }
    const values: RecordData = {};
    let failed = false;
    fields.forEach((name, i) => {
      if (!name || name === 'id') return;
      const cell = cells[i];
      const field = model.fields[name];
      if (cell === null || cell === '') {
        if (id !== undefined) values[name] = typeOf(field).kind === 'links' ? [] : null;
        return;
      }
      const converted = convert(field, cell, names);
      if ('problem' in converted) {
        failed = true;
        errors.push({ row, field: name, message: converted.problem });
      } else values[name] = converted.value;
    });
    if (!failed) rows.push({ row, id: id?.toLowerCase(), values });
  });
  return { rows, errors, fields };
}
