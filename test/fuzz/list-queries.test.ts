import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { startFuzzApp } from './support/fuzz-app.ts';
import type { ModelDef } from '@atrium/core/testing';
import { count, filterText, nameList, type Mood } from './support/queries.ts';
import { rarely } from './support/bodies.ts';
import { nastyString } from './support/values.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot } from './support/oracle.ts';

/**
 * Random reads on every model of the shipped modules: lists with filters, sorts, fields, limits and
 * offsets, groups, single records and histories by any id. No 5xx; every 4xx in the docs/api.md shape,
 * naming the parameter at fault; a list never holds more than its limit; reads change nothing.
 */
const { app, admin, failures, ids } = await startFuzzApp(t, 'Queried');
const models = [...app.app.platform.registry.models.values()];

const PARAMETERS = ['filter', 'sort', 'fields', 'limit', 'offset', 'by', 'sum'];
type Read = { url: string; params: [string, string][] };

const mood = fc.constantFrom<Mood>('plausible', 'hostile');
const extra = fc.tuple(fc.constantFrom('filter', 'limit', 'search', 'populate', '__proto__', 'token'), nastyString);

const listParams = (model: ModelDef): fc.Arbitrary<[string, string][]> =>
  mood.chain((m) =>
    fc
      .tuple(
        fc.record(
          {
            filter: filterText(model, ids, m),
            sort: nameList(model, m, true),
            fields: nameList(model, m, false),
            limit: count(m),
            offset: count(m),
          },
          { requiredKeys: [] },
        ),
        m === 'plausible' ? fc.constant(null) : rarely(extra),
      )
      .map(([params, more]) => [...Object.entries(params), ...(more ? [more] : [])]),
  );

const groupParams = (model: ModelDef): fc.Arbitrary<[string, string][]> =>
  mood.chain((m) =>
    fc
      .record(
        {
          by: m === 'plausible' ? fc.constantFrom(...Object.keys(model.fields)) : nastyString,
          sum: m === 'plausible' ? fc.constantFrom(...Object.keys(model.fields)) : nastyString,
          filter: filterText(model, ids, m),
        },
        { requiredKeys: ['by'] },
      )
      .map((p) => Object.entries(p)),
  );

const anyId = (model: ModelDef) =>
  fc.oneof(
    ...(ids(model.id).length ? [fc.constantFrom(...ids(model.id))] : []),
    fc.uuid(),
    fc.constantFrom('not-a-uuid', '%00', '..%2F..%2Fetc', 'A'.repeat(101), '00000000-0000-0000-0000-000000000000', 'history'),
  );

const read: fc.Arbitrary<Read> = fc.constantFrom(...models).chain((model) =>
  fc.oneof(
    { weight: 5, arbitrary: listParams(model).map((params): Read => ({ url: `/api/records/${model.id}`, params })) },
    { weight: 2, arbitrary: groupParams(model).map((params): Read => ({ url: `/api/records/${model.id}/groups`, params })) },
    fc
      .tuple(anyId(model), fc.constantFrom('', '/history'))
      .map(([id, tail]): Read => ({ url: `/api/records/${model.id}/${encodeURIComponent(id)}${tail}`, params: [] })),
  ),
);

t.test(`random reads on ${models.length} models (seed ${SEED})`, async (t) => {
  const before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(read, async ({ url, params }) => {
      const query = new URLSearchParams(params).toString();
      const response = await admin.request({ method: 'GET', url: query ? `${url}?${query}` : url });
      outcomes[response.statusCode] = (outcomes[response.statusCode] ?? 0) + 1;
      const problem = problemWith(response, [...PARAMETERS, ...params.map(([key]) => key)]);
      if (problem) throw new Error(`GET ${url}?${query.slice(0, 300)}: ${problem}`);
      const limit = Number(params.find(([key]) => key === 'limit')?.[1] ?? 50);
      if (
        response.statusCode === 200 &&
        Array.isArray(response.json().data) &&
        !url.endsWith('/groups') &&
        !url.endsWith('/history') &&
        response.json().data.length > limit
      ) {
        throw new Error(`GET ${url}?${query}: ${response.json().data.length} records past the limit`);
      }
    }),
    fuzzParameters(2000),
  );
  t.ok((outcomes[200] ?? 0) > 100 && (outcomes[400] ?? 0) > 100, `reads both answered and were refused: ${JSON.stringify(outcomes)}`);
  t.ok(isDeepStrictEqual(await tenantSnapshot(app.app, admin.tenant.id), before), 'reads changed nothing');
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});
