/** What `/api/operator/*` answers (docs/api.md, "The operator"), for the OpenAPI document and the operator console. */
import { arrayOf, dateTime, dictionary, integer, json, list, object, oneOf, ref, string, uuid } from './openapi-shapes.ts';
import type { Answers, Inputs, Schema } from './openapi-shapes.ts';

const who = object({ email: string });
const limit = { type: 'integer', nullable: true };

export const operatorSchemas: Record<string, Schema> = {
  OperatorTenant: object(
    {
      id: uuid,
      name: string,
      slug: string,
      plan: string,
      status: oneOf('active', 'suspended'),
      users: integer,
      records: integer,
      created_at: dateTime,
      last_activity_at: { ...dateTime, description: "The last write of the tenant's users" },
      billing_grace_until: dateTime,
    },
    ['last_activity_at', 'billing_grace_until'],
  ),
  OperatorAuditEntry: object({
    id: uuid,
    tenant_id: uuid,
    at: dateTime,
    operator: string,
    action: oneOf('plan', 'suspend', 'resume', 'export'),
    details: dictionary(),
  }),
  OperatorPlan: object({
    name: string,
    label: string,
    limits: object({
      users: limit,
      records: limit,
      modelRecords: dictionary({ type: 'integer' }),
      modules: limit,
      storageBytes: limit,
      requestsPerMinute: limit,
    }),
  }),
};

export const operatorResponses: Record<string, Record<string, Answers>> = {
  '/api/operator/login': { post: json(200, object({ token: string, operator: who }), 'Signed in') },
  '/api/operator/me': { get: json(200, object({ operator: who }), 'Who is signed in') },
  '/api/operator/plans': { get: json(200, object({ data: arrayOf(ref('OperatorPlan')), default: string }), 'The plans there are') },
  '/api/operator/tenants': { get: json(200, list('OperatorTenant'), 'Every tenant') },
  '/api/operator/tenants/{id}': { patch: json(200, ref('OperatorTenant'), 'The tenant') },
  '/api/operator/tenants/{id}/export': { get: json(200, dictionary(), "The tenant's data, as a JSON file") },
  '/api/operator/audit': { get: json(200, list('OperatorAuditEntry'), 'The newest operator actions first (at most 500)') },
};

export const operatorInputs: Record<string, Record<string, Inputs>> = {
  '/api/operator/audit': { get: { query: { tenant: { ...uuid, description: "Only this tenant's" } } } },
};
