import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { startFuzzApp } from './support/fuzz-app.ts';
import { hostileRequest } from './support/requests.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot } from './support/oracle.ts';

/**
 * Hostile requests on every route of the API (and on paths that are none): no 5xx, every error in the
 * docs/api.md shape with the security headers, and nothing refused changes the tenant's data.
 */
const { app, admin, failures } = await startFuzzApp(t, 'Raw');
const other = await app.signup('Other');

const models = [...app.app.platform.registry.models.keys()];
const someId =
  (await admin.request({ method: 'GET', url: '/api/records/contacts.partner?limit=1' })).json().data[0]?.id ??
  '00000000-0000-4000-8000-000000000000';

const request = hostileRequest(models, someId, other.token);

t.test(`hostile requests (seed ${SEED})`, async (t) => {
  let before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const auth = r.authorization(admin.token);
      const headers: Record<string, string> = {
        ...(r.contentType === null ? {} : { 'content-type': r.contentType }),
        ...(auth === undefined ? {} : { authorization: auth }),
        ...r.extra,
      };
      const response = await app.app.inject({ method: r.method, url: r.path, headers, ...(r.body === null ? {} : { payload: r.body }) });
      outcomes[response.statusCode] = (outcomes[response.statusCode] ?? 0) + 1;
      const said = `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 200)} ${String(r.body).slice(0, 100)}`;
      if (response.headers['x-content-type-options'] !== 'nosniff')
        throw new Error(`${said}: a ${response.statusCode} without the security headers`);
      if (r.method === 'HEAD') {
        if (response.statusCode >= 500) throw new Error(`${said}: ${response.statusCode}`);
        return;
      }
      const problem = problemWith(response);
      if (problem) throw new Error(`${said}: ${problem}`);
      const after = await tenantSnapshot(app.app, admin.tenant.id);
      if (response.statusCode >= 400 && !isDeepStrictEqual(after, before))
        throw new Error(`${said}: refused with ${response.statusCode} but changed the tenant`);
      before = after;
    }),
    fuzzParameters(800),
  );
  t.ok(
    (outcomes[200] ?? 0) > 5 && (outcomes[400] ?? 0) > 50 && (outcomes[401] ?? 0) > 50 && (outcomes[404] ?? 0) > 50,
    `a spread of answers: ${JSON.stringify(outcomes)}`,
  );
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted');
});
