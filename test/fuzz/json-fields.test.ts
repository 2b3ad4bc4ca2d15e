import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { startFixtureApp } from '../../core/test/helpers.ts';
import { anyJson, deepJson, nastyString } from './support/values.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot, watchProcess } from './support/oracle.ts';

/**
 * A json field (the fixture deal's `data`) takes any JSON that PostgreSQL can store, and gives it back
 * as sent; what it cannot store (NUL characters, lone surrogates, very deep nesting) is a 400 naming
 * the field, and changes nothing.
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Json');
const watch = watchProcess();
t.teardown(() => watch.stop());
const stage = (await admin.request({ method: 'GET', url: '/api/records/sales.stage' })).json().data[0].id as string;
const deal = (await admin.request({ method: 'POST', url: '/api/records/sales.deal', payload: { name: 'Json', stage } })).json()
  .id as string;

const jsonValue = fc.oneof(
  anyJson,
  fc.dictionary(nastyString, anyJson, { maxKeys: 4 }),
  fc.array(nastyString, { maxLength: 4 }),
  fc.constantFrom(33, 40, 1000, 2000).map(deepJson),
);

t.test(`json values in creates and patches (seed ${SEED})`, async (t) => {
  let before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(jsonValue, fc.boolean(), async (data, create) => {
      const request = create
        ? { method: 'POST' as const, url: '/api/records/sales.deal', payload: { name: 'Json', stage, data } }
        : { method: 'PATCH' as const, url: `/api/records/sales.deal/${deal}`, payload: { data } };
      const response = await admin.request(request);
      outcomes[response.statusCode] = (outcomes[response.statusCode] ?? 0) + 1;
      const problem = problemWith(response, ['data']);
      if (problem) throw new Error(`${request.method} data=${JSON.stringify(data).slice(0, 200)}: ${problem}`);
      const after = await tenantSnapshot(app.app, admin.tenant.id);
      if (response.statusCode >= 400) {
        if (!isDeepStrictEqual(after, before))
          throw new Error(`a refused json write changed the tenant: ${JSON.stringify(data).slice(0, 200)}`);
        return;
      }
      before = after;
      const stored = (await admin.request({ method: 'GET', url: `/api/records/sales.deal/${response.json().id}` })).json().data;
      if (!isDeepStrictEqual(stored, JSON.parse(JSON.stringify(data))))
        throw new Error(`stored ${JSON.stringify(data).slice(0, 200)}, read back ${JSON.stringify(stored).slice(0, 200)}`);
    }),
    fuzzParameters(400),
  );
  t.ok(
    (outcomes[200] ?? 0) + (outcomes[201] ?? 0) > 50 && (outcomes[400] ?? 0) > 20,
    `json writes both got through and were refused: ${JSON.stringify(outcomes)}`,
  );
  t.same(watch.failures, [], 'no unhandled rejection or uncaught exception');
});

t.test('NUL, lone surrogates and deep nesting name the json field', async (t) => {
  // The deepest one as text: JSON.stringify itself would overflow the stack.
  const deepest = `{"data": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  for (const payload of [{ data: { note: 'a\u0000b' } }, { data: { ['k\u0000']: 1 } }, { data: ['\uD800'] }, deepest]) {
    const response = await admin.request({
      method: 'PATCH',
      url: `/api/records/sales.deal/${deal}`,
      payload,
      headers: { 'content-type': 'application/json' },
    });
    t.equal(response.statusCode, 400);
    t.match(response.json().error.details, [{ field: /^data/ }]);
  }
});
