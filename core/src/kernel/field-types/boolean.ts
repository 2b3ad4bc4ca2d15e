import { defineFieldType, described, nullable, refused } from './field-type.ts';

/** Yes or no; a create that leaves it out writes false. */
export const boolean = defineFieldType({
  name: 'boolean',
  kind: 'boolean',
  column: 'boolean',
  cast: 'boolean',
  body: (field) => nullable(field, { type: 'boolean' }),
  openapi: (field) => ({ ...described(field), type: 'boolean' }),
  typescript: () => 'boolean',
  filter: {
    ordered: false,
    textual: false,
    parse: (operand) => (typeof operand === 'boolean' ? { value: operand } : refused('must be true or false')),
  },
  groupable: true,
  implicitDefault: false,
  widget: 'checkbox',
});
