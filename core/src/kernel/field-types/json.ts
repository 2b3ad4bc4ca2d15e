import { defineFieldType, described } from './field-type.ts';

/** Any JSON value (jsonb): stored as sent, never filtered, sorted or grouped. */
export const json = defineFieldType({
  name: 'json',
  kind: 'json',
  column: 'jsonb',
  cast: 'jsonb',
  body: () => ({}),
  openapi: (field) => ({ ...described(field) }),
  typescript: () => 'unknown',
  sortable: false,
  displayable: false,
  toSql: (value) => JSON.stringify(value),
  widget: 'json',
});
