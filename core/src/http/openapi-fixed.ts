/**
 * What the fixed routes of sign-in and administration answer, for the OpenAPI document (their request bodies come
 * from the routes' own schemas). Documentation only: a response schema on the route would make fastify serialize
 * through it and drop what it does not list. The typed client (@atrium/client) is generated from these.
 */
import { adminInputs, adminResponses, adminSchemas } from './openapi-admin.ts';
import { collabResponses, collabSchemas } from './openapi-collab.ts';
import { operatorInputs, operatorResponses, operatorSchemas } from './openapi-operator.ts';
import { boolean, dictionary, json, list, noContent, object, ref, string, strings, uuid, dateTime } from './openapi-shapes.ts';
import { withInputs, type Answers, type Inputs, type Schema } from './openapi-shapes.ts';

export const fixedSchemas: Record<string, Schema> = {
  User: object({ id: uuid, name: string, email: string, active: boolean }),
  Tenant: object({ id: uuid, slug: string, name: string, currency: string, locale: string }),
  Session: object({ token: string, user: ref('User'), tenant: ref('Tenant') }),
  Me: object({
    user: ref('User'),
    tenant: ref('Tenant'),
    roles: strings,
    modules: strings,
    abilities: { type: 'array', description: "CASL's packed rules", items: {} },
  }),
  AdminModule: object({ name: string, label: string, version: string, depends: strings, enabled: boolean }),
  AdminUser: object({ id: uuid, name: string, email: string, active: boolean, roles: strings }),
  AdminRole: object(
    {
      id: uuid,
      name: { type: 'string', description: 'The key users and manifests refer to' },
      label: { type: 'string', description: 'Free text for people ("Sales team Europe")' },
      builtin: boolean,
      permissions: { type: 'object', additionalProperties: true, description: "Per model, as a manifest's role entry" },
    },
    ['label'],
  ),
  CompanySettings: object({ name: string, address: string, currency: string, locale: string }, ['address']),
  SavedFilter: object({
    id: uuid,
    view: string,
    name: string,
    state: { type: 'object', additionalProperties: true, description: "The shell's state of the view, kept as it is" },
    shared: boolean,
    mine: boolean,
    owner: ref('UserRef'),
    created_at: dateTime,
  }),
  ...adminSchemas,
  ...collabSchemas,
  ...operatorSchemas,
};

/** Per path and method, the answers beside the errors. */
export const fixedResponses: Record<string, Record<string, Answers>> = {
  '/api/auth/signup': { post: json(201, ref('Session'), 'The new company, its first admin, signed in') },
  '/api/auth/login': { post: json(200, ref('Session'), 'Signed in') },
  '/api/auth/refresh': { post: json(200, object({ token: string }), 'A fresh token') },
  '/api/auth/logout': { post: { 204: { description: 'Every token of the user issued until now stops working' } } },
  '/api/me': { get: json(200, ref('Me'), 'Who is signed in, and what they may do') },
  '/api/admin/modules': { get: json(200, list('AdminModule'), 'The modules and whether they are on') },
  '/api/admin/modules/{name}': { put: json(200, ref('AdminModule'), 'The module') },
  '/api/admin/users': { get: json(200, list('AdminUser'), 'The users'), post: json(201, ref('AdminUser'), 'The user') },
  '/api/admin/users/{id}': { patch: json(200, ref('AdminUser'), 'The user') },
  '/api/admin/roles': { get: json(200, list('AdminRole'), 'The roles'), post: json(201, ref('AdminRole'), 'The role') },
  '/api/admin/roles/{id}': { patch: json(200, ref('AdminRole'), 'The role') },
  '/api/admin/settings': {
    get: json(200, ref('CompanySettings'), "The company's settings"),
    patch: json(200, ref('CompanySettings'), "The company's settings"),
  },
  '/api/health': { get: json(200, object({ ok: boolean, database: string, version: string }), 'Alive (503 when the database is not)') },
  '/api/ready': { get: json(200, object({ ready: boolean, checks: dictionary() }), 'Ready for traffic (503 when not)') },
  '/api/auth/verify-email': { post: json(200, object({ verified: boolean }), 'The address is confirmed') },
  '/api/auth/verify-email/resend': { post: json(202, object({ sent: boolean }), 'A new mail is on its way') },
  '/api/meta': {
    get: json(
      200,
      { type: 'object', additionalProperties: true, description: "The tenant's models, views and menus (@atrium/protocol's Meta)" },
      'What the shell draws',
    ),
  },
  '/api/saved-filters': { get: json(200, list('SavedFilter'), 'By name'), post: json(201, ref('SavedFilter'), 'The favourite') },
  '/api/saved-filters/{id}': { delete: noContent('Deleted') },
  '/api/view-settings/{view}': {
    get: json(200, { type: 'object', properties: { columns: strings } }, "The user's columns ({} when none)"),
    put: json(200, object({ columns: strings }), "The user's columns"),
  },
  ...adminResponses,
  ...collabResponses,
  ...operatorResponses,
};

/** Inputs the routes check in code, not with a schema fastify would show. */
const checkedInCode: Record<string, Record<string, Inputs>> = {
  '/api/saved-filters': { get: { query: { view: { type: 'string', description: 'Only the favourites of this view' } } } },
  ...adminInputs,
  ...operatorInputs,
};

/** The fixed routes' paths with their answers and errors documented, and the bodies checked in code. */
export function withFixedResponses(paths: Record<string, Record<string, Schema>>, error: Schema): Record<string, Record<string, Schema>> {
  const out = { ...paths };
  for (const [path, methods] of Object.entries(fixedResponses)) {
    if (!out[path]) continue;
    out[path] = { ...out[path] };
    for (const [method, responses] of Object.entries(methods)) {
      const operation = out[path][method] as Schema | undefined;
      if (!operation) continue;
      out[path][method] = {
        ...withInputs(operation, checkedInCode[path]?.[method]),
        responses: { ...responses, 400: error, 401: error, 403: error },
      };
    }
  }
  return out;
}
