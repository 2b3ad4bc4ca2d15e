import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { AtriumError, type FieldProblem } from '../../kernel/errors.ts';
import type { ActionDef, FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { isSystemField } from '../../kernel/system-fields.ts';
import { unstorableValues } from './storable-values.ts';
import { isCalendarDate } from '../../kernel/field-types/date.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { schemaErrorMessage } from '../../kernel/schema-messages.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(
  new Ajv({ allErrors: true, strict: false, formats: { uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i } }),
);

// A required text must say something: "" or only spaces is as good as missing (on create and patch alike).
ajv.addKeyword({
  keyword: 'notBlank',
  type: 'string',
  schemaType: 'boolean',
  errors: false,
  validate: (on: boolean, data: string) => !on || /\S/.test(data),
});
// Dates PostgreSQL can store: ajv-formats accepts year 0000, which the database refuses (there is no year 0).
ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
const dateTimeFormat = ajv.formats['date-time'] as { validate: (text: string) => boolean };
// A time zone must not carry an instant into year 0 either ("0001-01-01T00:00:00+01:00" would be stored as 1 BC).
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
ajv.addFormat('date-time', {
  type: 'string',
  validate: (text: string) => dateTimeFormat.validate(text) && isCalendarDate(text.slice(0, 10)) && Date.parse(text) >= FIRST_INSTANT,
});

export type JsonSchema = Record<string, unknown>;
const UUID: JsonSchema = { type: 'string', format: 'uuid' };

/** A field's value as its type describes it; a one2many's lines are bodies of their own model. */
const fieldSchema = (schema: TenantSchema, field: FieldDef): JsonSchema =>
  typeOf(field).body(field, () => objectSchema(schema, schema.model(field.target!)!, 'line', field.inverse));

/** The JSON Schema of a body: create (required fields), patch (no field required) or a one2many line (a create, or with its id a patch). */
function objectSchema(schema: TenantSchema, model: ModelDef, mode: 'create' | 'patch' | 'line', without?: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of Object.values(model.fields)) {
    // A line is written with its parent; lines of lines are not (and a model's lines may be of its own model).
    const kind = typeOf(field).kind;
    if (field.name === without || (mode === 'line' && kind === 'lines')) continue;
    properties[field.name] = fieldSchema(schema, field);
    // A many2many is never missing: left out, it is an empty list.
    if (mode !== 'patch' && field.required && field.default === undefined && kind !== 'links') required.push(field.name);
  }
  if (mode !== 'line') return { type: 'object', properties, required, additionalProperties: false };
  // A line with an id updates that line: like a patch, it names only what changes.
  properties.id = UUID;
  return { type: 'object', properties, additionalProperties: false, if: { required: ['id'] }, else: { required } };
}

/** The JSON Schema a create or patch body of the model is checked against (the OpenAPI request body is made from it). */
export const bodySchema = (schema: TenantSchema, model: ModelDef, mode: 'create' | 'patch'): JsonSchema =>
  objectSchema(schema, model, mode);

/** The JSON Schema an action's body is checked against: the params its manifest declares, as a create. */
export const paramsSchema = (schema: TenantSchema, action: ActionDef): JsonSchema =>
  objectSchema(schema, { fields: action.params } as ModelDef, 'create');

const compiled = new WeakMap<TenantSchema, Map<string, ValidateFunction>>();

function validatorFor(schema: TenantSchema, model: ModelDef, mode: 'create' | 'patch'): ValidateFunction {
  let perSchema = compiled.get(schema);
  if (!perSchema) compiled.set(schema, (perSchema = new Map()));
  const key = `${model.id}:${mode}`;
  let validate = perSchema.get(key);
  if (!validate) perSchema.set(key, (validate = ajv.compile(bodySchema(schema, model, mode))));
  return validate;
}

/** Rules named otherwise than their ajv keyword. */
const RULES: Record<string, string> = { notBlank: 'required' };

function problemOf(error: ErrorObject): FieldProblem {
  const path = error.instancePath.slice(1).split('/').filter(Boolean);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  const field = path.join('.') || 'body';
  const name = path[path.length - 1];
  const message =
    error.keyword === 'additionalProperties' && (isSystemField(name) || name === 'tenant_id')
      ? 'is set by the server and cannot be written'
      : schemaErrorMessage(error);
  return { field, rule: RULES[error.keyword] ?? error.keyword, message };
}

function check(validate: ValidateFunction, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw AtriumError.invalidField('body', 'type', 'must be a JSON object');
  const unstorable = unstorableValues(body as Record<string, unknown>);
  if (unstorable.length > 0) throw AtriumError.validation(unstorable);
  if (validate(body)) return body as Record<string, unknown>;
  const problems = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(problemOf);
  // anyOf (a nullable field) also reports each branch: one problem per field is enough.
  const seen = new Set<string>();
  throw AtriumError.validation(problems.filter((p) => !seen.has(p.field) && seen.add(p.field)));
}

/** Checks a create or patch body against the model; every problem is named in one 400. */
export function validateBody(schema: TenantSchema, model: ModelDef, mode: 'create' | 'patch', body: unknown): Record<string, unknown> {
  return check(validatorFor(schema, model, mode), body);
}

const paramValidators = new WeakMap<ActionDef, ValidateFunction>();

/** Checks an action's body against the params its manifest declares. */
export function validateParams(schema: TenantSchema, action: ActionDef, body: unknown): Record<string, unknown> {
  let validate = paramValidators.get(action);
  if (!validate) paramValidators.set(action, (validate = ajv.compile(paramsSchema(schema, action))));
  return check(validate, body);
}
