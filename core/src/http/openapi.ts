import type { FieldDef, ModelDef } from '../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../kernel/registry/tenant-registry.ts';
import { typeOf } from '../kernel/field-types/registry.ts';

type Schema = Record<string, unknown>;

const SYSTEM: Schema = {
  id: { type: 'string', format: 'uuid', readOnly: true },
  version: { type: 'integer', readOnly: true },
  created_at: { type: 'string', format: 'date-time', readOnly: true },
  updated_at: { type: 'string', format: 'date-time', readOnly: true },
  created_by: { type: 'string', format: 'uuid', nullable: true, readOnly: true },
  updated_by: { type: 'string', format: 'uuid', nullable: true, readOnly: true },
};
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const error = { description: 'Error', content: { 'application/json': { schema: ref('Error') } } };

/** A field as it is read (`read`) or written, as its type describes it. */
const fieldSchema = (field: FieldDef, mode: 'read' | 'write'): Schema => typeOf(field).openapi(field, mode, ref);

function modelSchemas(model: ModelDef): Record<string, Schema> {
  const fields = Object.values(model.fields);
  const writable = fields.filter((f) => !f.readonly);
  return {
    [model.id]: { type: 'object', description: model.label, properties: { ...SYSTEM, ...Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f, 'read')])) } },
    [`${model.id}.write`]: {
      type: 'object',
      additionalProperties: false,
      required: writable.filter((f) => f.required && f.default === undefined).map((f) => f.name),
      properties: Object.fromEntries(writable.map((f) => [f.name, fieldSchema(f, 'write')])),
    },
  };
}

function modelPaths(model: ModelDef): Record<string, Schema> {
  const tag = model.id;
  const json = (schema: Schema) => ({ 'application/json': { schema } });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const list = ['filter', 'sort', 'limit', 'offset', 'fields'].map((name) => ({ name, in: 'query', schema: { type: name === 'limit' || name === 'offset' ? 'integer' : 'string' } }));
  const record = { description: model.label, content: json(ref(model.id)) };
  const responses = (ok: Schema) => ({ ...ok, 400: error, 401: error, 403: error, 404: error });
  const paths: Record<string, Schema> = {
    [`/api/records/${model.id}`]: {
      get: { tags: [tag], summary: `List ${model.label} records`, parameters: list, responses: responses({ 200: { description: 'A page', content: json({ type: 'object', properties: { data: { type: 'array', items: ref(model.id) }, total: { type: 'integer' }, total_capped: { type: 'boolean' } } }) } }) },
      post: { tags: [tag], summary: `Create a ${model.label}`, requestBody: { content: json(ref(`${model.id}.write`)) }, responses: responses({ 201: record }) },
    },
    [`/api/records/${model.id}/groups`]: {
      get: { tags: [tag], summary: 'Count (and sum) per value of a field', parameters: ['by', 'sum', 'filter'].map((name) => ({ name, in: 'query', required: name === 'by', schema: { type: 'string' } })), responses: responses({ 200: { description: 'Groups', content: json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }) } }) },
    },
    [`/api/records/${model.id}/{id}`]: {
      get: { tags: [tag], summary: `Read a ${model.label}`, parameters: [id], responses: responses({ 200: record }) },
      patch: { tags: [tag], summary: `Change a ${model.label}`, parameters: [id, { name: 'If-Match', in: 'header', schema: { type: 'integer' } }], requestBody: { content: json(ref(`${model.id}.write`)) }, responses: responses({ 200: record, 409: error }) },
      delete: { tags: [tag], summary: `Delete a ${model.label}`, parameters: [id], responses: responses({ 204: { description: 'Deleted' }, 409: error }) },
    },
    [`/api/records/${model.id}/{id}/history`]: {
      get: { tags: [tag], summary: 'Who changed what and when', parameters: [id], responses: responses({ 200: { description: 'Events', content: json({ type: 'object' }) } }) },
    },
  };
  for (const action of Object.values(model.actions)) {
    const params = Object.values(action.params);
    paths[`/api/records/${model.id}/{id}/actions/${action.name}`] = {
      post: {
        tags: [tag], summary: action.label, parameters: [id],
        requestBody: { content: json({ type: 'object', required: params.filter((p) => p.required).map((p) => p.name), properties: Object.fromEntries(params.map((p) => [p.name, fieldSchema(p, 'write')])) }) },
        responses: responses({ 200: record, 409: error }),
      },
    };
  }
  return paths;
}

/** The record API of the given modules, as OpenAPI paths and component schemas. */
export function recordApiDocument(schema: TenantSchema): { paths: Record<string, Schema>; schemas: Record<string, Schema> } {
  const models = [...schema.models.values()].filter((m) => !m.system);
  return {
    paths: Object.assign({}, ...models.map(modelPaths)),
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } } },
      ...Object.assign({}, ...models.map(modelSchemas)),
    },
  };
}
