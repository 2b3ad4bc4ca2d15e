import t, { type Test } from 'tap';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { call, seedDeal, startFixtureApp, type Answer } from './helpers.ts';

/*
 * The typed client (@atrium/client) is generated from the OpenAPI document: every route must say what it answers,
 * and the answers the server gives must be the ones documented (required keys present, null only where nullable),
 * or the shell's types lie.
 */
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (ajv: Ajv) => Ajv;
const OPERATOR = { email: 'ops@example.com', password: 'operator password' };

const app = await startFixtureApp({ operator: OPERATOR });
t.teardown(() => app.close());
const docs = (await app.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();

type Schema = Record<string, unknown>;
/** OpenAPI 3.0's schema as JSON Schema: `nullable` as a null branch, references into the document's components. */
function jsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Schema;
  const out = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === '$ref' ? `doc${String(value)}` : key === 'properties' ? mapValues(value as Schema) : jsonSchema(value),
    ]),
  );
  return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}
const mapValues = (properties: Schema): Schema => Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, jsonSchema(v)]));

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
ajv.addSchema({ $id: 'doc', components: { schemas: mapValues(docs.components.schemas) } });
const validators = new Map<string, ValidateFunction>();

/** Checks an answer against what the document says the path and method answer with its status. */
function documented(t: Test, path: string, method: string, answer: Answer): void {
  const key = `${method} ${path} ${answer.status}`;
  const schema = docs.paths[path]?.[method]?.responses?.[answer.status]?.content?.['application/json']?.schema;
  if (!schema) {
    t.fail(`${key}: no documented JSON answer`);
    return;
  }
  if (!validators.has(key)) validators.set(key, ajv.compile(jsonSchema(schema) as Schema));
  const validate = validators.get(key)!;
  t.ok(validate(answer.body), `${key} is as documented`, { errors: validate.errors, body: answer.body });
}

t.test('every route of the document says what it answers', async (t) => {
  let operations = 0;
  for (const [path, methods] of Object.entries<Record<string, { responses?: Record<string, { content?: Record<string, Schema> }> }>>(
    docs.paths,
  )) {
    for (const [method, operation] of Object.entries(methods)) {
      if (method === 'parameters') continue;
      const ok = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const described = ok.some(([status, answer]) =>
        status === '204' ? true : Object.values(answer.content ?? {}).some((media) => media.schema !== undefined),
      );
      t.ok(described, `${method.toUpperCase()} ${path}: an answer with a schema (or 204)`);
      operations++;
    }
  }
  t.ok(docs.paths['/api/operator/tenants'], "the operator's routes are in the document");
  t.ok(operations > 50);
});

t.test('the administration, chatter, notification and operator answers are the documented ones', async (t) => {
  const admin = await app.signup('Answers Co');
  const member = await app.addUser(admin, ['user'], 'Sally Member');
  const check = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, url = path, payload?: unknown): Promise<Answer> => {
    const answer = await call(admin, method, url, payload);
    documented(t, path, method.toLowerCase(), answer);
    return answer;
  };

  const field = await check('POST', '/api/admin/custom-fields', undefined, {
    model: 'sales.deal',
    name: 'x_region',
    type: 'selection',
    label: 'Region',
    options: [{ value: 'eu', label: 'Europe' }],
  });
  await check('PATCH', '/api/admin/custom-fields/{id}', `/api/admin/custom-fields/${field.body.id}`, { help: null });
  await check('GET', '/api/admin/custom-fields');
  const views = await check('GET', '/api/admin/views');
  const listView = views.body.data.find((v: { type: string }) => v.type === 'list');
  await check('PUT', '/api/admin/views/{view}', `/api/admin/views/${listView.view}`, { patches: [{ columns: ['x_region'] }] });

  const automation = await check('POST', '/api/admin/automations', undefined, {
    name: 'Note and hook',
    model: 'sales.deal',
    trigger: { on: 'create' },
    actions: [
      { type: 'note', body: 'Created' },
      { type: 'webhook', url: 'http://hooks.invalid/hook', secret: 'long enough secret' },
    ],
  });
  await check('PATCH', '/api/admin/automations/{id}', `/api/admin/automations/${automation.body.id}`, { active: true });
  await check('GET', '/api/admin/automations');
  const { deal } = await seedDeal(admin, { name: 'Documented deal' });
  await check('GET', '/api/admin/automations/{id}/runs', `/api/admin/automations/${automation.body.id}/runs`);
  const deliveries = await check('GET', '/api/admin/automations/deliveries');
  t.ok(deliveries.body.data.length > 0, 'a delivery to check');
  await check('GET', '/api/admin/mails');
  await check('GET', '/api/admin/plan');
  await check('GET', '/api/admin/usage', '/api/admin/usage?days=7');
  await check('GET', '/api/admin/billing');

  const record = `/api/records/sales.deal/${deal.id}`;
  await check('POST', '/api/records/sales.deal/{id}/messages', `${record}/messages`, {
    kind: 'note',
    body: `For @[Sally Member](user:${member.user.id})`,
  });
  const activity = await check('POST', '/api/records/sales.deal/{id}/activities', `${record}/activities`, {
    type: 'call',
    summary: 'Call back',
    due: '2030-01-01',
    assigned_to: admin.user.id,
  });
  await check('GET', '/api/records/sales.deal/{id}/activities', `${record}/activities`);
  await check('GET', '/api/records/sales.deal/activities');
  await check('GET', '/api/activities');
  await check('POST', '/api/activities/{id}/done', `/api/activities/${activity.body.id}/done`);
  await check('GET', '/api/records/sales.deal/{id}/followers', `${record}/followers`);
  await check('PATCH', '/api/records/sales.deal/{id}', record, { amount: '200.00' });
  const timeline = await check('GET', '/api/records/sales.deal/{id}/messages', `${record}/messages`);
  t.same(
    [...new Set(timeline.body.data.map((e: { kind: string }) => e.kind))].sort(),
    ['activity', 'change', 'note'],
    'every kind checked',
  );
  await check('GET', '/api/records/sales.deal/{id}/history', `${record}/history`);

  const inbox = await call(member, 'GET', '/api/notifications');
  documented(t, '/api/notifications', 'get', inbox);
  t.ok(inbox.body.data.length > 0, 'a notification to check');
  documented(t, '/api/notifications/read', 'post', await call(member, 'POST', '/api/notifications/read', { ids: [inbox.body.data[0].id] }));
  await check('POST', '/api/saved-filters', undefined, { view: listView.view, name: 'Mine', state: {} });
  await check('GET', '/api/saved-filters');
  await check('PUT', '/api/view-settings/{view}', `/api/view-settings/${listView.view}`, { columns: ['name'] });
  await check('GET', '/api/view-settings/{view}', `/api/view-settings/${listView.view}`);
  await check('GET', '/api/health');

  const login = await app.app.inject({ method: 'POST', url: '/api/operator/login', payload: OPERATOR });
  documented(t, '/api/operator/login', 'post', { status: login.statusCode, body: login.json() });
  const operator = async (method: 'GET' | 'PATCH', path: string, url = path, payload?: object) => {
    const response = await app.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${login.json().token}` },
      ...(payload ? { payload } : {}),
    });
    documented(t, path, method.toLowerCase(), { status: response.statusCode, body: response.json() });
  };
  await operator('GET', '/api/operator/me');
  await operator('GET', '/api/operator/plans');
  await operator('GET', '/api/operator/tenants');
  await operator('PATCH', '/api/operator/tenants/{id}', `/api/operator/tenants/${admin.tenant.id}`, { status: 'active' });
  await operator('GET', '/api/operator/audit');
});
