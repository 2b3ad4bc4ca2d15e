import { defineFieldType, nullable, refused, type FilterSupport, type JsonSchema } from './field-type.ts';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_TEXT.test(value);

const UUID: JsonSchema = { type: 'string', format: 'uuid' };
const REFERENCE: JsonSchema = { type: 'object', properties: { id: UUID, display: { type: 'string', nullable: true } } };
const RELATION = '{ id: string; display: string }';
const recordId = (operand: unknown) => (isUuid(operand) ? { value: operand.toLowerCase() } : refused('must be a record id (UUID)'));
const byId: FilterSupport = { ordered: false, textual: false, parse: recordId };

/** A record's id: the system columns id, created_by and updated_by (not a manifest type). */
export const uuid = defineFieldType({
  name: 'uuid',
  kind: 'uuid',
  column: 'uuid',
  cast: 'uuid',
  body: () => UUID,
  openapi: () => UUID,
  filter: { ordered: true, textual: false, parse: recordId },
  displayable: false,
  widget: 'text',
});

/** A reference to one record (<field>_id, a foreign key with the tenant): read as {id, display}, sorted and grouped by its display. */
export const many2one = defineFieldType({
  name: 'many2one',
  kind: 'reference',
  column: 'uuid',
  cast: 'uuid',
  body: (field) => nullable(field, UUID),
  openapi: (field) => ({ ...REFERENCE, nullable: true, description: `${field.label} (${field.target})` }),
  typescript: (_field, part) => (part === 'values' ? 'string | { id: string }' : RELATION),
  // $ilike matches the referenced record's display ("azure" finds the leads of Azure Interior).
  filter: { ...byId, textual: true },
  groupable: true,
  columns: true,
  displayable: false,
  widget: 'many2one',
});

/** Links to records (a join table <table>__<field>): read as a list of {id, display}, filtered by membership. */
export const many2many = defineFieldType({
  name: 'many2many',
  kind: 'links',
  cast: 'uuid',
  body: () => ({ type: 'array', items: UUID, uniqueItems: true, maxItems: 1000 }),
  openapi: (field) => ({ type: 'array', description: `${field.label} (${field.target})`, items: REFERENCE }),
  typescript: (_field, part) => (part === 'values' ? 'string[]' : `${RELATION}[]`),
  filter: { ...byId, operators: ['eq', 'ne', 'in', 'nin'] },
  sortable: false,
  displayable: false,
  widget: 'many2many',
});

/** Lines: records of another model whose many2one (`inverse`) points back, written with their parent. */
export const one2many = defineFieldType({
  name: 'one2many',
  kind: 'lines',
  body: (_field, lines) => ({ type: 'array', maxItems: 1000, items: lines() }),
  openapi: (field, ref) => ({
    type: 'array',
    description: `${field.label} (${field.target}): the full list of lines`,
    items: ref(field.target!),
  }),
  typescript: (_field, part, line) => line(part),
  sortable: false,
  displayable: false,
  widget: 'lines',
});
