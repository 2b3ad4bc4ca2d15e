import { defineFieldType, described, nullable, parseText } from './field-type.ts';
import type { FieldManifest } from '../manifest/manifest-types.ts';

/** The declared values, as a TypeScript union. */
function union(field: FieldManifest): string {
  const values = (field.options ?? []).map((o) => JSON.stringify(typeof o === 'string' ? o : o.value));
  return values.length > 0 ? values.join(' | ') : 'string';
}

/** One of the declared options (stored as its value; grouped in declared order, labelled with its label). */
export const selection = defineFieldType({
  name: 'selection',
  kind: 'selection',
  column: 'text',
  body: (field) => nullable(field, { type: 'string', enum: field.options!.map((o) => o.value) }),
  openapi: (field) => ({ ...described(field), type: 'string', enum: field.options?.map((o) => o.value) }),
  typescript: union,
  filter: { ordered: true, textual: true, parse: parseText },
  groupable: true,
  columns: true,
  groupLabel: (field, key) => field.options?.find((o) => o.value === key)?.label ?? (key as string | null),
  declarationProblems: (field) =>
    field.default !== undefined && !field.options?.some((o) => o.value === field.default)
      ? [['/default', `"${String(field.default)}" is not one of the options`]]
      : [],
  widget: 'select',
});
