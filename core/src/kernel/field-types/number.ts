import { defineFieldType, described, nullable, refused } from './field-type.ts';

/** A floating-point number (PostgreSQL's double precision). */
export const number = defineFieldType({
  name: 'number',
  kind: 'number',
  column: 'double precision',
  cast: 'float8',
  body: (field) =>
    nullable(field, {
      type: 'number',
      ...(field.min !== undefined ? { minimum: field.min } : {}),
      ...(field.max !== undefined ? { maximum: field.max } : {}),
    }),
  openapi: (field) => ({ ...described(field), type: 'number', minimum: field.min, maximum: field.max }),
  typescript: () => 'number',
  filter: {
    ordered: true,
    textual: false,
    parse: (operand) => (typeof operand === 'number' && Number.isFinite(operand) ? { value: operand } : refused('must be a number')),
  },
  summable: true,
  widget: 'number',
});
