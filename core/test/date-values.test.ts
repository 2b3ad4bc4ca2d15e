import t from 'tap';
import { validateBody } from '../src/engine/records/body-schema.ts';
import type { FieldDef, ModelDef } from '../src/kernel/registry/registry-types.ts';
import type { TenantSchema } from '../src/kernel/registry/tenant-registry.ts';

/*
 * Dates and date-times a body may carry: days that exist, from year 1 on (PostgreSQL has no year 0 and
 * would store a time zone's way into it as 1 BC). No shipped model has a datetime field, so the body
 * check is called on a model of one date and one datetime.
 */
const field = (name: string, type: FieldDef['type']): FieldDef =>
  ({ name, type, label: name, required: false, readonly: false }) as FieldDef;
const model = { id: 'test.dated', fields: { day: field('day', 'date'), at: field('at', 'datetime') } } as unknown as ModelDef;
const schema = {} as TenantSchema;

const problem = (body: object): string | undefined => {
  try {
    validateBody(schema, model, 'patch', body);
    return undefined;
  } catch (error) {
    return ((error as { details: { field: string }[] }).details ?? []).map((d) => d.field).join(',');
  }
};

t.test('dates', async (t) => {
  for (const day of [
    '0000-01-01',
    '0000-12-31',
    '2023-02-30',
    '2023-02-29',
    '2023-13-01',
    '2023-00-10',
    '10000-01-01',
    '2023-1-1',
    '+002023-01-01',
  ])
    t.equal(problem({ day }), 'day', day);
  for (const day of ['0001-01-01', '2024-02-29', '9999-12-31']) t.equal(problem({ day }), undefined, day);
});

t.test('date-times', async (t) => {
  for (const at of [
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '2023-02-30T10:00:00Z',
    '2023-02-28T25:00:00Z',
    'Tue, 01 Jan 2020 00:00:00 GMT',
  ])
    t.equal(problem({ at }), 'at', at);
  for (const at of ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00-01:00', '2024-02-29T23:59:59.999Z', '2026-12-04T10:00:00+02:00'])
    t.equal(problem({ at }), undefined, at);
});
