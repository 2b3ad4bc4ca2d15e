import type { FieldDef, ModelDef } from '../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../kernel/registry/tenant-registry.ts';
import { typeOf } from '../kernel/field-types/registry.ts';
import { bodySchema, paramsSchema } from '../engine/records/body-schema.ts';
import { openApiOf } from './openapi-write.ts';
import { EXPORT_TYPES } from '../engine/transfer/export-file.ts';
import { activityBody, messageBody } from './chatter-bodies.ts';
import { chatterAnswers } from './openapi-collab.ts';
import { arrayOf, dateTime, dictionary, object, orNull, partly, string } from './openapi-shapes.ts';

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
export const error = { description: 'Error', content: { 'application/json': { schema: ref('Error') } } };

/** A field as it is read, as its type describes it. */
const fieldSchema = (field: FieldDef): Schema => typeOf(field).openapi(field, ref);

/**
 * A request body: the validator's own schema in OpenAPI's dialect, each field described. Fields the
 * manifest makes readonly are left out: the schema lets them through, the write refuses them.
 */
function requestSchema(body: Schema, fields: Record<string, FieldDef>): Schema {
  const schema = openApiOf(body) as Schema & { properties: Record<string, Schema>; required?: string[] };
  const writable = Object.entries(schema.properties).filter(([name]) => !fields[name]?.readonly);
  const properties = Object.fromEntries(
    writable.map(([name, value]) => [name, fields[name] ? { description: fields[name].help ?? fields[name].label, ...value } : value]),
  );
  return { ...schema, properties };
}

function modelSchemas(schema: TenantSchema, model: ModelDef): Record<string, Schema> {
  const fields = Object.values(model.fields);
  return {
    [model.id]: {
      type: 'object',
      description: model.label,
      properties: { ...SYSTEM, ...Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])) },
    },
    [`${model.id}.write`]: requestSchema(bodySchema(schema, model, 'create'), model.fields),
    [`${model.id}.patch`]: requestSchema(bodySchema(schema, model, 'patch'), model.fields),
  };
}

/** A file in a request or a response body. */
const FILE = { type: 'string', format: 'binary' };

function modelPaths(schema: TenantSchema, model: ModelDef): Record<string, Schema> {
  const tag = model.id;
  const json = (schema: Schema) => ({ 'application/json': { schema } });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const list = ['filter', 'sort', 'limit', 'offset', 'fields'].map((name) => ({
    name,
    in: 'query',
    schema: { type: name === 'limit' || name === 'offset' ? 'integer' : 'string' },
  }));
  const record = { description: model.label, content: json(ref(model.id)) };
  const responses = (ok: Schema) => ({ ...ok, 400: error, 401: error, 403: error, 404: error });
  const paths: Record<string, Schema> = {
    [`/api/records/${model.id}`]: {
      get: {
        tags: [tag],
        summary: `List ${model.label} records`,
        parameters: list,
        responses: responses({
          200: {
            description: 'A page',
            content: json({
              type: 'object',
              properties: { data: { type: 'array', items: ref(model.id) }, total: { type: 'integer' }, total_capped: { type: 'boolean' } },
            }),
          },
        }),
      },
      post: {
        tags: [tag],
        summary: `Create a ${model.label}`,
        requestBody: { content: json(ref(`${model.id}.write`)) },
        responses: responses({ 201: record }),
      },
    },
    [`/api/records/${model.id}/groups`]: {
      get: {
        tags: [tag],
        summary: 'Count (and sum) per value of a field',
        parameters: ['by', 'sum', 'filter'].map((name) => ({ name, in: 'query', required: name === 'by', schema: { type: 'string' } })),
        responses: responses({
          200: {
            description: 'Groups',
            content: json({ type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }),
          },
        }),
      },
    },
    [`/api/records/${model.id}/{id}`]: {
      get: { tags: [tag], summary: `Read a ${model.label}`, parameters: [id], responses: responses({ 200: record }) },
      patch: {
        tags: [tag],
        summary: `Change a ${model.label}`,
        parameters: [id, { name: 'If-Match', in: 'header', schema: { type: 'integer' } }],
        requestBody: { content: json(ref(`${model.id}.patch`)) },
        responses: responses({ 200: record, 409: error }),
      },
      delete: {
        tags: [tag],
        summary: `Delete a ${model.label}`,
        parameters: [id],
        responses: responses({ 204: { description: 'Deleted' }, 409: error }),
      },
    },
    [`/api/records/${model.id}/{id}/history`]: {
      get: {
        tags: [tag],
        summary: 'Who changed what and when',
        parameters: [id],
        responses: responses({
          200: {
            description: 'Events, fields masked like reads',
            content: json(
              object({
                data: arrayOf(
                  partly(
                    {
                      cursor: string,
                      op: string,
                      at: dateTime,
                      actor: orNull(ref('UserRef')),
                      changes: dictionary(),
                      previous: dictionary(),
                    },
                    ['previous'],
                  ),
                ),
              }),
            ),
          },
        }),
      },
    },
  };
  paths[`/api/records/${model.id}/export`] = {
    get: {
      tags: [tag],
      summary: `Export the ${model.plural.toLowerCase()} a filter selects, as CSV or XLSX (fields the caller may read)`,
      parameters: [
        { name: 'format', in: 'query', required: true, schema: { type: 'string', enum: ['csv', 'xlsx'] } },
        ...list.filter((p) => ['filter', 'sort', 'fields'].includes(p.name)),
      ],
      responses: responses({
        200: { description: 'The file', content: { [EXPORT_TYPES.csv]: { schema: FILE }, [EXPORT_TYPES.xlsx]: { schema: FILE } } },
      }),
    },
  };
  paths[`/api/records/${model.id}/import`] = {
    post: {
      tags: [tag],
      summary: `Import ${model.plural.toLowerCase()} from CSV or XLSX: all rows or none`,
      parameters: [
        { name: 'dry_run', in: 'query', schema: { type: 'boolean' } },
        { name: 'mapping', in: 'query', schema: { type: 'string', description: 'JSON: {"<column>": "<field>" | "id" | null}' } },
      ],
      requestBody: {
        content: {
          [EXPORT_TYPES.csv]: { schema: FILE },
          [EXPORT_TYPES.xlsx]: { schema: FILE },
          'multipart/form-data': { schema: { type: 'object', properties: { file: FILE } } },
        },
      },
      responses: responses({
        200: {
          description: 'What was written (or, on a dry run or with errors, would have been: then nothing is)',
          content: json({
            type: 'object',
            properties: {
              created: { type: 'integer' },
              updated: { type: 'integer' },
              errors: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { row: { type: 'integer' }, field: { type: 'string', nullable: true }, message: { type: 'string' } },
                },
              },
            },
          }),
        },
        413: error,
      }),
    },
  };
  if (model.chatter) Object.assign(paths, chatterPaths(model, tag, id, responses));
  for (const [name, report] of Object.entries(model.reports)) {
    paths[`/api/records/${model.id}/{id}/reports/${name}`] = {
      get: {
        tags: [tag],
        summary: `${report.label} (PDF)`,
        parameters: [id],
        responses: responses({ 200: { description: 'The document', content: { 'application/pdf': { schema: FILE } } } }),
      },
    };
  }
  for (const action of Object.values(model.actions)) {
    paths[`/api/records/${model.id}/{id}/actions/${action.name}`] = {
      post: {
        tags: [tag],
        summary: action.label,
        parameters: [id],
        requestBody: { content: json(requestSchema(paramsSchema(schema, action), action.params)) },
        responses: responses({ 200: record, 409: error }),
      },
    };
  }
  return paths;
}

/** The chatter routes of a model that has one (docs/api.md, "Chatter and activities"); their bodies are the routes' own schemas. */
function chatterPaths(model: ModelDef, tag: string, id: Schema, responses: (ok: Schema) => Schema): Record<string, Schema> {
  const json = (schema: Schema) => ({ 'application/json': { schema } });
  const followers = { tags: [tag], parameters: [id], responses: responses(chatterAnswers.followers) };
  const base = `/api/records/${model.id}`;
  return {
    [`${base}/{id}/messages`]: {
      get: {
        tags: [tag],
        summary: 'The chatter: messages, notes, activity changes and history, newest first',
        parameters: [id],
        responses: responses(chatterAnswers.timeline),
      },
      post: {
        tags: [tag],
        summary: 'Post a message or an internal note (mentions: @[Name](user:ID))',
        parameters: [id],
        requestBody: { content: json(openApiOf(messageBody) as Schema) },
        responses: responses(chatterAnswers.entry),
      },
    },
    [`${base}/{id}/followers`]: {
      get: { ...followers, summary: 'Who follows the record' },
      post: { ...followers, summary: 'Follow the record' },
      delete: { ...followers, summary: 'Stop following the record' },
    },
    [`${base}/{id}/attachments`]: {
      post: {
        tags: [tag],
        summary: 'Upload a file (PDF, image, text, CSV, XLSX, DOCX; at most 10 MB) for the next message',
        parameters: [id, { name: 'name', in: 'query', required: true, schema: { type: 'string' } }],
        requestBody: { content: { 'application/octet-stream': { schema: FILE } } },
        responses: responses({ ...chatterAnswers.attachment, 413: error, 415: error }),
      },
    },
    [`${base}/{id}/attachments/{attachment}`]: {
      get: {
        tags: [tag],
        summary: 'A file of the record',
        parameters: [id, { name: 'attachment', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: responses({ 200: { description: 'The file', content: { 'application/octet-stream': { schema: FILE } } } }),
      },
    },
    [`${base}/{id}/activities`]: {
      get: { tags: [tag], summary: "The record's activities", parameters: [id], responses: responses(chatterAnswers.activities) },
      post: {
        tags: [tag],
        summary: 'Schedule an activity',
        parameters: [id],
        requestBody: { content: json(openApiOf(activityBody) as Schema) },
        responses: responses(chatterAnswers.activity),
      },
    },
    [`${base}/activities`]: {
      get: {
        tags: [tag],
        summary: 'Open and overdue activities per record (kanban cards)',
        responses: responses(chatterAnswers.counts),
      },
    },
  };
}

/** The record API of the given modules, as OpenAPI paths and component schemas. */
export function recordApiDocument(schema: TenantSchema): { paths: Record<string, Schema>; schemas: Record<string, Schema> } {
  const models = [...schema.models.values()].filter((m) => !m.system);
  return {
    paths: Object.assign({}, ...models.map((model) => modelPaths(schema, model))),
    schemas: {
      Error: {
        type: 'object',
        properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
      },
      ...Object.assign({}, ...models.map((model) => modelSchemas(schema, model))),
    },
  };
}
