import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { FieldDef, ModelDef, SignedIn } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { call } from '../../core/test/helpers.ts';
import { creationOrder } from '../security/platform-registry.ts';
import { createValid } from '../security/seed-tenant.ts';
import { notStored } from '../support/stored-value.ts';
import { validBody } from './support/bodies.ts';
import { startFuzzApp } from './support/fuzz-app.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot } from './support/oracle.ts';
import { maxLengthOf, richValue } from './support/values.ts';
import { coreType } from '../support/core-type.ts';

/*
 * Writes whose answer is checked, not only their status. Valid creates and patches — some wide (every
 * field, five lines), with texts as long as their field allows, amounts up to a trillion — read back equal
 * to what was sent (and to the write's own answer). A text one character too long, or a relation (in the
 * record or in a line) to another tenant's record, is a 400 naming that field, and changes nothing in
 * either tenant.
 */
const { app, admin, failures, known, ids } = await startFuzzApp(t, 'Written');
const { registry } = app.app.platform;
const lookup = (id: string): ModelDef => registry.model(id)!;
const other = await app.signup('Other tenant');
const theirs = new Map<string, string[]>();

/** Models the admin creates directly (lines are written through their parent), and some records of each in both tenants. */
const models: ModelDef[] = [];
for (const [i, model] of creationOrder([...registry.models.values()].filter((m) => !m.system)).entries()) {
  for (const [who, pool] of [
    [admin, known],
    [other, theirs],
  ] as [SignedIn, Map<string, string[]>][]) {
    const listing = (await call(who, 'GET', `/api/records/${model.id}?limit=500`)).body.data.map((r: RecordData) => String(r.id));
    pool.set(model.id, listing);
    const idsOf = (m: string): string[] => pool.get(m) ?? [];
    for (const body of fc.sample(validBody(model, 'create', idsOf, lookup), { seed: SEED + i, numRuns: 3 })) {
      const created = await createValid(who, model, body);
      if (created.status === 201) pool.get(model.id)!.push(created.body.id);
    }
  }
  if (
    (known.get(model.id) ?? []).length > 0 &&
    (await createValid(admin, model, fc.sample(validBody(model, 'create', ids, lookup), { seed: SEED, numRuns: 1 })[0])).status === 201
  )
    models.push(model);
}
for (const id of (await call(other, 'GET', '/api/records/core.user')).body.data.map((u: RecordData) => String(u.id)))
  theirs.set('core.user', [...(theirs.get('core.user') ?? []), id]);

/** Models with a beforeWrite hook: a module may compute a value the client sent (the answer then says so). */
const hooked = new Set(
  [...registry.modules.values()].flatMap((m) =>
    Object.entries(m.hooks.models ?? {})
      .filter(([, hooks]) => hooks.beforeWrite)
      .map(([id]) => id),
  ),
);
const relations = (model: ModelDef): FieldDef[] =>
  Object.values(model.fields).filter(
    (f) => !f.readonly && (coreType(f) === 'many2one' || coreType(f) === 'many2many') && (theirs.get(f.target!) ?? []).length > 0,
  );

type Write = {
  kind: 'valid' | 'too long' | 'cross-tenant';
  method: 'POST' | 'PATCH';
  model: string;
  id?: string;
  body: RecordData;
  field?: string;
};

const MEGABYTE = 1024 * 1024;

const write: fc.Arbitrary<Write> = fc.constantFrom(...models).chain((model) => {
  const texts = Object.values(model.fields).filter((f) => !f.readonly && (coreType(f) === 'string' || coreType(f) === 'text'));
  const lineFields = Object.values(model.fields).filter((f) => coreType(f) === 'one2many' && !f.readonly);
  const targets = (fields: FieldDef[]) =>
    fields.flatMap((f) =>
      relations(lookup(f.target!))
        .filter((r) => r.name !== f.inverse)
        .map((r) => [f, r] as const),
    );
  const create = (wide: boolean) => validBody(model, 'create', ids, lookup, { value: richValue, wide });
  const own = () => fc.constantFrom(...known.get(model.id)!);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .boolean()
        .chain(create)
        .map((body): Write => ({ kind: 'valid', method: 'POST', model: model.id, body })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(own(), validBody(model, 'patch', ids, lookup, { value: richValue }))
        .map(([id, body]): Write => ({ kind: 'valid', method: 'PATCH', model: model.id, id, body })),
    },
    ...(texts.length
      ? [
          fc.tuple(create(false), fc.constantFrom(...texts), fc.constantFrom('x', 'é', '😀')).map(([body, field, c]): Write => ({
            kind: 'too long',
            method: 'POST',
            model: model.id,
            body: { ...body, [field.name]: c.repeat(maxLengthOf(field) + 1) },
            field: field.name,
          })),
        ]
      : []),
    ...(relations(model).length
      ? [
          fc.tuple(fc.boolean(), create(false), own(), fc.constantFrom(...relations(model))).chain(([patch, body, id, field]) =>
            fc.constantFrom(...theirs.get(field.target!)!).map((foreign): Write => ({
              kind: 'cross-tenant',
              method: patch ? 'PATCH' : 'POST',
              model: model.id,
              id: patch ? id : undefined,
              body: { ...(patch ? {} : body), [field.name]: coreType(field) === 'many2many' ? [foreign] : foreign },
              field: field.name,
            })),
          ),
        ]
      : []),
    ...(targets(lineFields).length
      ? [
          fc.tuple(create(false), fc.constantFrom(...targets(lineFields))).chain(([body, [lines, field]]) =>
            fc.constantFrom(...theirs.get(field.target!)!).map((foreign): Write => {
              const sent = [
                ...((body[lines.name] as RecordData[] | undefined) ?? []),
                fc.sample(validBody(lookup(lines.target!), 'create', ids, lookup, { without: lines.inverse }), {
                  seed: SEED,
                  numRuns: 1,
                })[0],
              ];
              const at = sent.length - 1;
              sent[at] = { ...sent[at], [field.name]: coreType(field) === 'many2many' ? [foreign] : foreign };
              return {
                kind: 'cross-tenant',
                method: 'POST',
                model: model.id,
                body: { ...body, [lines.name]: sent },
                field: `${lines.name}.${at}.${field.name}`,
              };
            }),
          ),
        ]
      : []),
  );
});

t.test(`writes read back as sent; too long and cross-tenant values are refused naming the field (seed ${SEED})`, async (t) => {
  let mine = await tenantSnapshot(app.app, admin.tenant.id);
  const theirsBefore = await tenantSnapshot(app.app, other.tenant.id);
  const outcomes: Record<string, number> = {};
  let computed = 0;
  await fc.assert(
    fc.asyncProperty(write, async (w) => {
      const model = lookup(w.model);
      const url = `/api/records/${w.model}${w.id ? `/${w.id}` : ''}`;
      const text = JSON.stringify(w.body);
      const response = await admin.request({ method: w.method, url, payload: text, headers: { 'content-type': 'application/json' } });
      const said = `${w.kind} ${w.method} ${url} ${text.slice(0, 300)}`;
      outcomes[`${w.kind} ${response.statusCode}`] = (outcomes[`${w.kind} ${response.statusCode}`] ?? 0) + 1;
      const problem = problemWith(response);
      if (problem) throw new Error(`${said}: ${problem}`);
      const after = await tenantSnapshot(app.app, admin.tenant.id);
      if (response.statusCode >= 400) {
        if (!isDeepStrictEqual(after, mine)) throw new Error(`${said}: refused with ${response.statusCode} but changed the tenant`);
        if (
          w.field &&
          (response.statusCode !== 400 || !response.json().error.details.some((d: { field: string }) => d.field === w.field))
        ) {
          throw new Error(`${said}: expected a 400 naming ${w.field}, got ${response.statusCode} ${response.body.slice(0, 300)}`);
        }
        // A record that a parent's new lines replaced is gone: its id leaves the pool.
        if (response.statusCode === 404 && w.id && (await call(admin, 'GET', url)).status === 404)
          return void known.set(
            w.model,
            known.get(w.model)!.filter((id) => id !== w.id),
          );
        // A valid body is refused only by a module's business rule (a 409, or a 400 from a model's hook: a
        // contact's company must be a company), or when it is over the 1 MB limit.
        const businessRule = response.statusCode === 409 || (response.statusCode === 400 && hooked.has(model.id));
        if (w.kind === 'valid' && !businessRule && !(response.statusCode === 413 && Buffer.byteLength(text) > MEGABYTE))
          throw new Error(`${said}: a valid write refused: ${response.statusCode} ${response.body.slice(0, 300)}`);
        return;
      }
      mine = after;
      if (w.kind !== 'valid') throw new Error(`${said}: accepted (${response.statusCode}), naming ${w.field}`);
      const answer = response.json() as RecordData;
      if (w.method === 'POST') known.get(w.model)!.push(String(answer.id));
      const read = (await call(admin, 'GET', `/api/records/${w.model}/${String(answer.id)}`)).body;
      if (!isDeepStrictEqual(read, answer))
        throw new Error(
          `${said}: the answer is not the record read back:\n${JSON.stringify(answer).slice(0, 500)}\n${JSON.stringify(read).slice(0, 500)}`,
        );
      const differ = notStored(model, w.body, read, lookup);
      // A model with a beforeWrite hook may compute a value the client sent (a won stage makes a lead's
      // probability 100): counted, not failed. Anywhere else a difference is a value lost or changed.
      if (differ.length > 0 && !hooked.has(model.id))
        throw new Error(`${said}: read back differently: ${differ.map((f) => `${f}=${JSON.stringify(read[f]).slice(0, 200)}`).join(', ')}`);
      computed += differ.length;
    }),
    fuzzParameters(200),
  );
  t.ok((outcomes['valid 201'] ?? 0) > 60 && (outcomes['valid 200'] ?? 0) > 40, `valid writes got through: ${JSON.stringify(outcomes)}`);
  t.ok((outcomes['too long 400'] ?? 0) > 10 && (outcomes['cross-tenant 400'] ?? 0) > 10, 'too long and cross-tenant values were tried');
  t.comment(`${computed} values sent were replaced by a module's hook (on models that have one)`);
  t.same(await tenantSnapshot(app.app, other.tenant.id), theirsBefore, 'the other tenant is exactly as it was');
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});
