import type { FieldMeta, RecordRef } from '@atrium/protocol';

/** Defaults the server fills in itself ("$user", "$now", "$today") are not shown as values. */
const serverDefault = (value: unknown): boolean => typeof value === 'string' && value.startsWith('$');

/**
 * The value of a field on a new record, in the shape the API reads (and the widgets edit): the declared
 * default, else nothing.
 */
export function emptyValue(field: FieldMeta): unknown {
  if (field.default !== undefined && !serverDefault(field.default)) return field.default;
  if (field.kind === 'links' || field.kind === 'lines') return [];
  if (field.kind === 'boolean') return false;
  return null;
}

/** Is a value "not filled in" for a required check? */
export function isBlank(field: FieldMeta, value: unknown): boolean {
  if (field.kind === 'boolean') return false;
  if (Array.isArray(value)) return field.kind === 'links' ? false : value.length === 0;
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * A value as the API writes it: a many2one as its id, a many2many as ids, an empty text as null.
 * (one2many lines are written by the form, which knows their columns.)
 */
export function toApiValue(field: FieldMeta, value: unknown): unknown {
  switch (field.kind) {
    case 'reference':
      return (value as RecordRef | null | undefined)?.id ?? null;
    case 'links':
      return ((value as RecordRef[] | null | undefined) ?? []).map((r) => r.id);
    case 'decimal':
      return value === null || value === undefined || value === '' ? null : String(value);
    default:
      return value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value;
  }
}

/** Are two values the same, as far as saving goes? (Relations compare by id.) */
export function sameValue(field: FieldMeta, a: unknown, b: unknown): boolean {
  return JSON.stringify(toApiValue(field, a ?? null)) === JSON.stringify(toApiValue(field, b ?? null));
}
