import t from 'tap';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { validateBody, validateParams } from '../src/engine/records/body-schema.ts';
import { startFixtureApp } from './helpers.ts';

/*
 * The request bodies /api/docs documents are the ones the server checks: every value of a table, put in
 * every writable field of every model (and every action's params), is accepted by the OpenAPI schema
 * exactly when the validator accepts it (the money pattern and maxLength once disagreed).
 */
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (ajv: Ajv) => Ajv;
const openapi = addFormats(new Ajv({ allErrors: true, strict: false }));

const app = await startFixtureApp();
t.teardown(() => app.close());
const { platform } = app.app;
const schema = platform.schemas.for(platform.registry.modules.keys());
const docs = (await app.app.inject({ method: 'GET', url: '/api/docs' })).json();

const ID = '0b7e8c1e-1c1a-4c5e-9a51-3f0f3c1b2a10';
const VALUES: unknown[] = [
  null,
  '',
  ' ',
  'x',
  'x'.repeat(201),
  'x'.repeat(1001),
  'todo',
  'doing',
  '0',
  '1',
  'a@b.co',
  'https://x.org',
  0,
  1,
  -1,
  1.5,
  100,
  101,
  -0.5,
  2147483648,
  1e21,
  '12.34',
  '-12.34',
  '1.1234567',
  '1e5',
  '1234567890123456',
  '123456789012345',
  '12.',
  '.5',
  'abc',
  true,
  false,
  '2026-03-01',
  '2026-02-30',
  '2026-03-01T10:00:00Z',
  '2026-03-01 10:00',
  ID,
  ID.toUpperCase(),
  [],
  [ID],
  [ID, ID],
  ['x'],
  {},
  { a: 1 },
  [{ description: 'line' }],
  [{ id: ID }],
  [{}],
  [{ id: ID, qty: 'x' }],
  [{ description: ' ' }],
];
const accepts = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

for (const model of schema.models.values()) {
  if (model.system) continue;
  t.test(model.id, async (t) => {
    const write = openapi.compile(docs.components.schemas[`${model.id}.write`]);
    const patch = openapi.compile(docs.components.schemas[`${model.id}.patch`]);
    const fields = Object.values(model.fields).filter((f) => !f.readonly);
    let cases = 0;
    for (const field of fields) {
      for (const value of VALUES) {
        const body = { [field.name]: value };
        t.equal(
          patch(body),
          accepts(() => validateBody(schema, model, 'patch', body)),
          `patch ${field.name} = ${JSON.stringify(value)?.slice(0, 40)}`,
        );
        t.equal(
          write(body),
          accepts(() => validateBody(schema, model, 'create', body)),
          `create ${field.name} = ${JSON.stringify(value)?.slice(0, 40)}`,
        );
        cases += 2;
      }
    }
    t.equal(write({ nope: 1 }), false, 'an unknown field is refused by both');
    t.equal(
      write({}),
      accepts(() => validateBody(schema, model, 'create', {})),
      'an empty create',
    );
    for (const action of Object.values(model.actions)) {
      const params = openapi.compile(
        docs.paths[`/api/records/${model.id}/{id}/actions/${action.name}`].post.requestBody.content['application/json'].schema,
      );
      for (const field of Object.values(action.params)) {
        for (const value of VALUES)
          t.equal(
            params({ [field.name]: value }),
            accepts(() => validateParams(schema, action, { [field.name]: value })),
            `${action.name} ${field.name} = ${JSON.stringify(value)?.slice(0, 40)}`,
          );
      }
    }
    t.ok(cases > 0);
  });
}
