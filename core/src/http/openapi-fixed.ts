/**
 * What the fixed routes of sign-in and administration answer, for the OpenAPI document (their request bodies come
 * from the routes' own schemas). Documentation only: a response schema on the route would make fastify serialize
 * through it and drop what it does not list. The typed client (@atrium/client) is generated from these.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, Schema>, nullable: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((name) => !nullable.includes(name)),
  properties: Object.fromEntries(
    Object.entries(properties).map(([name, s]) => [name, nullable.includes(name) ? { ...s, nullable: true } : s]),
  ),
});
const string = { type: 'string' };
const uuid = { type: 'string', format: 'uuid' };
const boolean = { type: 'boolean' };
const strings = { type: 'array', items: string };
const list = (name: string): Schema => object({ data: { type: 'array', items: ref(name) } });

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
};

const json = (status: number, schema: Schema, description: string): Schema => ({
  [status]: { description, content: { 'application/json': { schema } } },
});

/** Per path and method, the answers beside the errors. */
export const fixedResponses: Record<string, Record<string, Schema>> = {
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
};

/** The fixed routes' paths with their answers and errors documented. */
export function withFixedResponses(paths: Record<string, Record<string, Schema>>, error: Schema): Record<string, Record<string, Schema>> {
  const out = { ...paths };
  for (const [path, methods] of Object.entries(fixedResponses)) {
    if (!out[path]) continue;
    out[path] = { ...out[path] };
    for (const [method, responses] of Object.entries(methods)) {
      const operation = out[path][method] as Schema | undefined;
      if (!operation) continue;
      out[path][method] = { ...operation, responses: { ...responses, 400: error, 401: error, 403: error } };
    }
  }
  return out;
}
