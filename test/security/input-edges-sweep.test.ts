import t from 'tap';
import type { FieldDef, ModelDef } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { money } from '@atrium/protocol';
import { call, q, type Answer } from '../../core/test/helpers.ts';
import { RawNumber, withRawNumbers } from '../fuzz/support/values.ts';
import { fieldsOf, filterable, groupable, startPlatformApp, sweptModels, writable } from './platform-registry.ts';
import { createValid, seedTenant } from './seed-tenant.ts';
import { coreType } from '../support/core-type.ts';

const { format: formatMoney, plainText } = money;

/*
 * Input on the edges, on every writable field of every shipped model and of its lines, in creates and
 * patches: blank required texts, dates that do not exist or that PostgreSQL cannot store (year 0),
 * numbers no double holds as written and numbers JavaScript prints with an exponent; and, on every text
 * field, LIKE patterns ending in a lone backslash in lists, groups and role rules. Each is refused with a
 * 400 naming the field and changes nothing, or (an exponent that is an exact value) stored exactly.
 */
const app = await startPlatformApp();
t.teardown(() => app.close());
const registry = app.app.platform.registry;
const tenant = await seedTenant(app, await app.signup('Edges'), 'edges', 1);
const admin = tenant.admin;
const models = sweptModels(registry).filter((m) => !m.system && tenant.creatable.has(m.id));
const TEXTUAL = new Set(['string', 'text', 'email', 'phone', 'url', 'selection']);

/** Values the field must refuse. */
function refused(field: FieldDef): unknown[] {
  switch (coreType(field)) {
    case 'string':
    case 'text':
    case 'phone':
      return field.required ? ['', '   ', '\t\n'] : [];
    case 'date':
      return ['0000-01-01', '2023-02-30', '2023-13-01', '10000-01-01'];
    case 'datetime':
      return ['0000-01-01T00:00:00Z', '2023-02-30T00:00:00Z'];
    case 'integer':
    case 'number':
    case 'money':
      return ['1e400', '-1e400', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.10000000000000000001'].map(
        (text) => new RawNumber(text),
      );
    default:
      return [];
  }
}

/** Exponent numbers: refused (out of range, past the currency's precision) or stored exactly. */
const EXPONENTS = ['1e21', '1e-7', '1e300', '1e2', '2.5e1'];

/** Where a field is written: on the model, or on its first line (`lines.0.unit_price`). */
interface Slot {
  field: FieldDef;
  line?: FieldDef;
}
const slotsOf = (model: ModelDef): Slot[] =>
  fieldsOf(model)
    .filter(writable)
    .flatMap((field): Slot[] => {
      if (coreType(field) !== 'one2many') return [{ field }];
      const target = registry.model(field.target!)!;
      return fieldsOf(target)
        .filter((f) => writable(f) && f.name !== field.inverse && coreType(f) !== 'one2many')
        .map((f) => ({ field: f, line: field }));
    });
const pathOf = ({ field, line }: Slot): string => (line ? `${line.name}.0.${field.name}` : field.name);

/** A body with the slot set to `value` (a patch names only that, with the lines a valid line around it). */
function bodyWith(model: ModelDef, slot: Slot, value: unknown, mode: 'create' | 'patch'): RecordData {
  const base = mode === 'create' ? tenant.factory.create(model) : {};
  if (!slot.line) return { ...base, [slot.field.name]: value };
  const line = tenant.factory.create(registry.model(slot.line.target!)!);
  delete line[slot.line.inverse!];
  return { ...base, [slot.line.name]: [{ ...line, [slot.field.name]: value }] };
}

const send = (method: 'POST' | 'PATCH', url: string, body: RecordData): Promise<Answer> =>
  admin
    .request({ method, url, headers: { 'content-type': 'application/json' }, payload: withRawNumbers(JSON.stringify(body)) })
    .then((r) => ({ status: r.statusCode, body: r.body ? r.json() : undefined }));

const totals = async (): Promise<string> =>
  JSON.stringify(await Promise.all(models.map(async (m) => (await call(admin, 'GET', `/api/records/${m.id}?limit=1`)).body.total)));
const named = (answer: Answer, path: string): boolean =>
  answer.status === 400 && (answer.body.error.details as { field: string }[]).some((d) => d.field === path);

for (const model of models) {
  t.test(`${model.id}: edge values in creates and patches`, async (t) => {
    const target = tenant.ids(model.id)[0];
    const before = await totals();
    const version = (await call(admin, 'GET', `/api/records/${model.id}/${target}`)).body.version;
    for (const slot of slotsOf(model)) {
      const path = pathOf(slot);
      for (const value of refused(slot.field)) {
        for (const [method, url] of [
          ['POST', `/api/records/${model.id}`],
          ['PATCH', `/api/records/${model.id}/${target}`],
        ] as const) {
          const answer = await send(method, url, bodyWith(model, slot, value, method === 'POST' ? 'create' : 'patch'));
          t.ok(
            named(answer, path),
            `${method} ${path} = ${JSON.stringify(value)} is a 400 naming it: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
          );
        }
      }
      if (!['integer', 'number', 'money'].includes(coreType(slot.field))) continue;
      for (const text of EXPONENTS) {
        // The exponent and the same number written out go through the same hooks: they must end up the same.
        // Both bodies are the same record but for the number's text (and the unique fields, which must differ):
        // a hook that reads other fields (crm places a stage by its is_won) sees the same record twice.
        const [first, second] = [text, plainText(Number(text))].map((number) => bodyWith(model, slot, new RawNumber(number), 'create'));
        const unique = new Set(model.unique.flat());
        for (const [name, value] of Object.entries(first))
          if (!unique.has(name) && name !== slot.field.name && name !== slot.line?.name) second[name] = value;
        const [exponent, written] = await Promise.all(
          [first, second].map((body) =>
            slot.line
              ? send('POST', `/api/records/${model.id}`, body)
              : createValid(admin, model, JSON.parse(withRawNumbers(JSON.stringify(body))), [slot.field.name]),
          ),
        );
        if (exponent.status === 400) {
          t.ok(named(exponent, path), `${path} = ${text} refused, naming it: ${JSON.stringify(exponent.body.error.details)}`);
          t.equal(written.status, 400, `${path} = ${plainText(Number(text))} too`);
          continue;
        }
        t.equal(exponent.status, 201, `${path} = ${text}`);
        const stored = await Promise.all(
          [exponent, written].map(async (answer) => {
            const record = (await call(admin, 'GET', `/api/records/${model.id}/${answer.body.id}`)).body;
            await call(admin, 'DELETE', `/api/records/${model.id}/${answer.body.id}`);
            return slot.line ? record[slot.line.name][0][slot.field.name] : record[slot.field.name];
          }),
        );
        t.same(stored[0], stored[1], `${path} = ${text} is stored as ${plainText(Number(text))} is`);
        if (coreType(slot.field) === 'money') t.equal(stored[0], formatMoney(text, 2), `${path} = ${text}: the amount exactly`);
      }
    }
    t.equal(await totals(), before, 'no refused write left a record');
    t.equal((await call(admin, 'GET', `/api/records/${model.id}/${target}`)).body.version, version, 'no refused patch changed the record');
  });
}

t.test('LIKE patterns ending in a lone backslash: a 400 naming the field in lists, groups and role rules', async (t) => {
  for (const model of sweptModels(registry)) {
    const texts = fieldsOf(model).filter((f) => filterable(f) && TEXTUAL.has(coreType(f)));
    const by = fieldsOf(model).find(groupable);
    for (const field of texts) {
      for (const pattern of ['\\', '%\\', 'a\\\\\\']) {
        const filter = q({ [field.name]: { $ilike: pattern } });
        const urls = [
          `/api/records/${model.id}?filter=${filter}`,
          ...(by ? [`/api/records/${model.id}/groups?by=${by.name}&filter=${filter}`] : []),
        ];
        for (const url of urls) {
          const answer = await call(admin, 'GET', url);
          t.ok(named(answer, `filter.${field.name}`), `${url}: ${answer.status}`);
        }
      }
      t.equal(
        (await call(admin, 'GET', `/api/records/${model.id}?filter=${q({ [field.name]: { $ilike: '%\\\\' } })}`)).status,
        200,
        `${model.id}.${field.name}: an escaped backslash is fine`,
      );
      if (model.system) continue;
      const role = await call(admin, 'POST', '/api/admin/roles', {
        name: `edge-${model.id}-${field.name}`.replace(/[^a-z0-9_-]/g, '-'),
        permissions: { [model.id]: { read: { [field.name]: { $ilike: '%\\' } } } },
      });
      t.equal(role.status, 400, `a role rule on ${model.id}.${field.name}`);
    }
  }
});

t.test('money filters with exponent numbers or numbers no double holds: a 400 naming the field', async (t) => {
  for (const model of sweptModels(registry)) {
    for (const field of fieldsOf(model).filter((f) => coreType(f) === 'money')) {
      for (const text of ['1e21', '1e-7', '9007199254740993', '1e400']) {
        const answer = await call(
          admin,
          'GET',
          `/api/records/${model.id}?filter=${encodeURIComponent(`{"${field.name}": {"$gt": ${text}}}`)}`,
        );
        t.equal(answer.status, 400, `${model.id}.${field.name} > ${text}`);
        t.ok(
          (answer.body.error.details as { field: string }[]).every((d) => d.field.startsWith(`filter.${field.name}`)),
          `${model.id}.${field.name} > ${text}: names the field`,
        );
      }
    }
  }
});
