import { AtriumError, type FieldProblem } from '../../../kernel/errors.ts';
import type { ModelDef } from '../../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../../kernel/registry/tenant-registry.ts';
import type { RecordData } from '../../../kernel/record-types.ts';
import { validateBody } from '../../records/body-schema.ts';
import { writableValue } from './action-kind.ts';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `{"$field": "name"}` copies a field of the triggering record, `{"$id": true}` is its id. */
const placeholder = (value: unknown): { field: string } | { id: true } | undefined => {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$field') return { field: value.$field as string };
  if (keys.length === 1 && keys[0] === '$id' && value.$id === true) return { id: true };
  return undefined;
};

/** Re-throws a body's validation error with its fields under `path` ("actions.0.values.name"). */
function under<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AtriumError && Array.isArray(error.details))
      throw AtriumError.validation((error.details as FieldProblem[]).map((p) => ({ ...p, field: `${path}.${p.field}` })));
    throw error;
  }
}

/**
 * The values of a set or create action, checked against the model they are written to: literal values as a
 * PATCH body would be, placeholders naming a field of the triggering model.
 */
export function checkValues(schema: TenantSchema, target: ModelDef, source: ModelDef, values: unknown, path: string): RecordData {
  if (!isObject(values) || Object.keys(values).length === 0)
    throw AtriumError.invalidField(path, 'type', 'must be an object of field values');
  const literals: RecordData = {};
  for (const [name, value] of Object.entries(values)) {
    const copied = placeholder(value);
    if (!copied) literals[name] = value;
    else if ('field' in copied && !Object.hasOwn(source.fields, copied.field))
      throw AtriumError.invalidField(`${path}.${name}`, 'field', `"${String(copied.field)}" is not a field of ${source.label}`);
    else if (!Object.hasOwn(target.fields, name))
      throw AtriumError.invalidField(`${path}.${name}`, 'field', `is not a field of ${target.label}`);
  }
  under(path, () => validateBody(schema, target, 'patch', literals));
  return values;
}

/** The values to write, placeholders filled from the triggering record. */
export function resolveValues(values: RecordData, record: RecordData): RecordData {
  const out: RecordData = {};
  for (const [name, value] of Object.entries(values)) {
    const copied = placeholder(value);
    out[name] = !copied ? value : 'id' in copied ? record.id : writableValue(record[copied.field] ?? null);
  }
  return out;
}

const text = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'display' in value) return String((value as RecordData).display ?? '');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/** `{{field}}` in a text (a mail's subject, a note): the triggering record's value (a relation's display name). */
export const fillTemplate = (template: string, record: RecordData): string =>
  template.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (_, name: string) => text(record[name]));

/** A non-empty text of at most `max` characters, or a 400 naming `field`. */
export function checkText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
    throw AtriumError.invalidField(field, 'type', `must be a non-empty text of at most ${max} characters`);
  return value;
}
