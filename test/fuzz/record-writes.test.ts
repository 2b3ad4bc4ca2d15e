import t from 'tap';
import fc from 'fast-check';
import { startFuzzApp } from './support/fuzz-app.ts';
import type { ModelDef } from '@atrium/core/testing';
import { bodyFor, rarely } from './support/bodies.ts';
import { anyJson } from './support/values.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot } from './support/oracle.ts';
import { coreType } from '../support/core-type.ts';

/**
 * Random creates, patches, deletes and actions on every model of the shipped modules, with bodies made
 * from their manifests: no 5xx, every 4xx in the docs/api.md shape naming a field of the request, and a
 * refused write leaves the tenant's data and events exactly as they were.
 */
const { app, admin, failures, known, ids } = await startFuzzApp(t, 'Fuzzed');
const { registry } = app.app.platform;
const models = [...registry.models.values()].filter((m) => !m.system);
const lookup = (id: string): ModelDef => registry.models.get(id)!;

const garbageId = fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '..%2f..', '%00', 'A'.repeat(300), '1 OR 1=1');
const targetId = (model: ModelDef) =>
  ids(model.id).length
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids(model.id)) }, garbageId, fc.uuid())
    : fc.oneof(garbageId, fc.uuid());
const ifMatch = rarely(fc.constantFrom('1', '"2"', 'abc', '-1', '99999999999', '1, 2', ''));

/** A write; `foreign` names a key of its body that is no writable field (the write must be refused). */
type Write = {
  method: 'POST' | 'PATCH' | 'DELETE';
  url: string;
  text?: string;
  fields: string[];
  headers: Record<string, string>;
  foreign?: string;
};

const write: fc.Arbitrary<Write> = fc.constantFrom(...models).chain((model) => {
  // A line's refused relation is named by the line's field alone ("stage", not "tasks.0.stage"): the
  // database's foreign-key error does not say which line.
  const lineFields = Object.values(model.fields).flatMap((f) => (coreType(f) === 'one2many' ? Object.keys(lookup(f.target!).fields) : []));
  const fields = [...Object.keys(model.fields), ...lineFields];
  const foreign = (keys: string[]) => keys.find((k) => !Object.hasOwn(model.fields, k) || model.fields[k].readonly);
  const url = `/api/records/${model.id}`;
  const actions = Object.keys(model.actions);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: bodyFor(model, 'create', ids, lookup).map((b): Write => ({
        method: 'POST',
        url,
        text: b.text,
        fields: [...fields, ...b.keys],
        headers: {},
        foreign: foreign(b.keys),
      })),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(targetId(model), bodyFor(model, 'patch', ids, lookup), ifMatch).map(([id, b, version]): Write => ({
        method: 'PATCH',
        url: `${url}/${id}`,
        text: b.text,
        fields: [...fields, ...b.keys, 'If-Match'],
        headers: version === null ? {} : { 'if-match': version },
        foreign: foreign(b.keys),
      })),
    },
    { weight: 1, arbitrary: targetId(model).map((id): Write => ({ method: 'DELETE', url: `${url}/${id}`, fields: [], headers: {} })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(targetId(model), fc.constantFrom(...actions, 'no_such_action', '__proto__'), fc.option(anyJson))
        .map(([id, name, params]): Write => {
          const text = params === null ? undefined : JSON.stringify(params);
          const sent: unknown = text === undefined ? {} : JSON.parse(text);
          // A body that is not an object is refused as a whole ("body").
          const keys = sent !== null && typeof sent === 'object' && !Array.isArray(sent) ? Object.keys(sent) : ['body'];
          return {
            method: 'POST',
            url: `${url}/${id}/actions/${name}`,
            text,
            fields: [...Object.keys(model.actions[name]?.params ?? {}), ...keys],
            headers: {},
          };
        }),
    },
  );
});

t.test(`random writes on ${models.length} models (seed ${SEED})`, async (t) => {
  let before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(write, async (w) => {
      const headers = { ...w.headers, ...(w.text === undefined ? {} : { 'content-type': 'application/json' }) };
      const response = await admin.request({ method: w.method, url: w.url, headers, ...(w.text === undefined ? {} : { payload: w.text }) });
      outcomes[response.statusCode] = (outcomes[response.statusCode] ?? 0) + 1;
      const problem = problemWith(response, w.fields);
      if (problem) throw new Error(`${w.method} ${w.url}: ${problem}`);
      if (w.foreign !== undefined && response.statusCode < 400)
        throw new Error(`${w.method} ${w.url}: a body naming "${w.foreign}" was accepted (${response.statusCode})`);
      const after = await tenantSnapshot(app.app, admin.tenant.id);
      if (response.statusCode >= 400) {
        const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
        if (changed.length)
          throw new Error(`${w.method} ${w.url} was refused with ${response.statusCode} but changed ${changed.join(', ')}`);
        return;
      }
      before = after;
      if (w.method === 'POST' && response.statusCode === 201) {
        const record = response.json();
        known.get(w.url.split('/')[3])!.push(record.id);
        const read = await admin.request({ method: 'GET', url: `${w.url}/${record.id}` });
        if (read.statusCode !== 200) throw new Error(`a record just created reads as ${read.statusCode}: ${read.body.slice(0, 300)}`);
      }
    }),
    fuzzParameters(1200),
  );
  t.ok(
    (outcomes[201] ?? 0) > 20 && (outcomes[200] ?? 0) > 20 && (outcomes[400] ?? 0) > 50,
    `writes both got through and were refused: ${JSON.stringify(outcomes)}`,
  );
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});
