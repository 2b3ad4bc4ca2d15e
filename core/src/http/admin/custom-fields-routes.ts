import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/filter/filter-language.ts';
import { CUSTOM_FIELD_NAME } from '../../kernel/registry/custom-fields.ts';
import { CustomFields, customFieldsChanged, type CustomFieldChanges } from '../../engine/customization/custom-fields.ts';
import type { CustomFieldInput } from '../../engine/customization/custom-field-definition.ts';
import { requestRecords } from '../request-records.ts';

/** A selection's choices: what the bodies take and the answers give (openapi-admin.ts). */
export const customFieldOptions = {
  type: 'array',
  minItems: 1,
  maxItems: 200,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['value', 'label'],
    properties: { value: { type: 'string', minLength: 1, maxLength: 100 }, label: { type: 'string', minLength: 1, maxLength: 200 } },
  },
};
const label = { type: 'string', minLength: 1, maxLength: 200 };
const help = { type: ['string', 'null'], maxLength: 2000 };
const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['model', 'name', 'type', 'label'],
  properties: {
    model: { type: 'string', maxLength: 200 },
    name: { type: 'string', pattern: CUSTOM_FIELD_NAME },
    type: { type: 'string', maxLength: 100 },
    label,
    required: { type: 'boolean' },
    help,
    default: {},
    options: customFieldOptions,
    model_ref: { type: 'string', maxLength: 200 },
  },
};
const patchBody = {
  type: 'object',
  additionalProperties: false,
  properties: { label, help, required: { type: 'boolean' }, options: customFieldOptions },
};

/** /api/admin/custom-fields: a tenant's own fields on its modules' models (docs/api.md, "Custom fields"). */
export default async function customFieldsRoutes(app: FastifyInstance): Promise<void> {
  const service = (request: FastifyRequest): CustomFields =>
    new CustomFields(requestRecords(request), request.session.schema, request.session.tenant.id, request.session.user.id);

  app.get('/admin/custom-fields', async (request) => ({ data: await service(request).list() }));

  app.post<{ Body: CustomFieldInput }>('/admin/custom-fields', { schema: { body: createBody } }, async (request, reply) => {
    const change = await service(request).create(request.body);
    await customFieldsChanged(app.platform, request.session.tenant.id, change);
    return reply.code(201).send(change.field);
  });

  app.patch<{ Params: { id: string }; Body: CustomFieldChanges }>(
    '/admin/custom-fields/:id',
    { schema: { body: patchBody } },
    async (request) => {
      if (!isUuid(request.params.id)) throw AtriumError.notFound();
      const change = await service(request).update(request.params.id, request.body);
      await customFieldsChanged(app.platform, request.session.tenant.id, change);
      return change.field;
    },
  );

  app.delete<{ Params: { id: string } }>('/admin/custom-fields/:id', async (request, reply) => {
    if (!isUuid(request.params.id)) throw AtriumError.notFound();
    const change = await service(request).remove(request.params.id);
    await customFieldsChanged(app.platform, request.session.tenant.id, change);
    return reply.code(204).send();
  });
}
