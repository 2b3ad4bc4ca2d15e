import { defineFieldType, described, nullable, parseText, type FieldType, type JsonSchema } from './field-type.ts';
import type { FieldDef } from '../registry/registry-types.ts';

/** Text of every kind, stored as text, filtered with $ilike and ordered by code point; they differ in what a value may be. */
const textType = (
  name: string,
  widget: string,
  groupable: boolean,
  body: (field: FieldDef) => JsonSchema,
  openapi: (field: FieldDef) => JsonSchema,
): FieldType =>
  defineFieldType({
    name,
    kind: 'text',
    column: 'text',
    body: (field) => nullable(field, body(field)),
    openapi: (field) => ({ ...described(field), ...openapi(field) }),
    filter: { ordered: true, textual: true, parse: parseText },
    groupable,
    widget,
  });

/** A line of text, a long text or a phone number: a length, and a required one cannot be blank. */
const plain =
  (limit: number) =>
  (field: FieldDef): JsonSchema => ({
    type: 'string',
    maxLength: field.maxLength ?? limit,
    ...(field.minLength ? { minLength: field.minLength } : {}),
    ...(field.required ? { notBlank: true } : {}),
  });
const plainApi = (field: FieldDef): JsonSchema => ({ type: 'string', maxLength: field.maxLength });

export const string = textType('string', 'text', true, plain(1000), plainApi);
export const text = textType('text', 'textarea', false, plain(100000), plainApi);
export const phone = textType('phone', 'phone', false, plain(1000), plainApi);
export const email = textType(
  'email',
  'email',
  true,
  (field) => ({ type: 'string', format: 'email', maxLength: field.maxLength ?? 320 }),
  () => ({ type: 'string', format: 'email' }),
);
export const url = textType(
  'url',
  'url',
  false,
  (field) => ({ type: 'string', format: 'uri', maxLength: field.maxLength ?? 2000 }),
  () => ({ type: 'string', format: 'uri' }),
);
