import { defineFieldType, described, nullable, refused } from './field-type.ts';

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;

/** A whole number in PostgreSQL's int (4 bytes). */
export const integer = defineFieldType({
  name: 'integer',
  kind: 'integer',
  column: 'int',
  cast: 'int',
  body: (field) => nullable(field, { type: 'integer', minimum: field.min ?? INT4_MIN, maximum: field.max ?? INT4_MAX }),
  openapi: (field) => ({ ...described(field), type: 'integer', minimum: field.min, maximum: field.max }),
  typescript: () => 'number',
  filter: {
    ordered: true,
    textual: false,
    parse: (operand) =>
      Number.isInteger(operand) && (operand as number) >= INT4_MIN && (operand as number) <= INT4_MAX
        ? { value: operand }
        : refused(`must be an integer from ${INT4_MIN} to ${INT4_MAX}`),
  },
  groupable: true,
  summable: true,
  widget: 'integer',
});
