import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { RolePermissionsManifest, ModelDef, SignedIn } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { call } from '../../core/test/helpers.ts';
import { grantOf, rulesAllow } from '../security/manifest-grants.ts';
import { creationOrder } from '../security/platform-registry.ts';
import { createValid } from '../security/seed-tenant.ts';
import { partialRolePermissions, userWithRole } from '../security/sweep-roles.ts';
import { validBody } from './support/bodies.ts';
import { startFuzzApp } from './support/fuzz-app.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot } from './support/oracle.ts';

/*
 * Random valid writes and reads by restricted roles — the builtin `user` (rules on "$user") and a
 * generated tenant role (no access to some models, read-only on others, rules on plain values) — on
 * records of every kind of owner. Judged against the role's grants with the core's rule matcher: a write
 * the grants refuse is never accepted and changes nothing; one they allow is never a 403; a read of a
 * model the role may not read is a 403.
 */
const { app, admin, failures, known, ids } = await startFuzzApp(t, 'Restricted');
const { registry } = app.app.platform;
const lookup = (id: string): ModelDef => registry.model(id)!;
const partial = partialRolePermissions(registry);
const roles: { name: string; grants: string | RolePermissionsManifest; who: SignedIn }[] = [
  { name: 'user', grants: 'user', who: await app.addUser(admin, ['user']) },
  { name: 'partial', grants: partial, who: await userWithRole(app, admin, 'fuzz_partial', partial) },
];
const people = [admin.user.id, ...roles.map((r) => r.who.user.id)];

/** Models written directly (lines only through their parent), with records owned by each of the people. */
const models: ModelDef[] = [];
for (const [i, model] of creationOrder([...registry.models.values()].filter((m) => !m.system)).entries()) {
  // Relations to users point at each of them in turn, so that "$user" rules allow some records to each role.
  const bodies = fc.sample(validBody(model, 'create', ids, lookup), { seed: SEED + i, numRuns: 6 });
  for (const [n, body] of bodies.entries()) {
    for (const field of Object.values(model.fields))
      if (field.target === 'core.user' && !field.readonly) body[field.name] = people[n % people.length];
    const created = await createValid(admin, model, body);
    if (created.status === 201) known.get(model.id)!.push(created.body.id);
    if (n === 0 && created.status === 201) models.push(model);
  }
}

/** A record as it would be created: the model's defaults under the body ("$user" is the author). */
function asCreated(model: ModelDef, body: RecordData, userId: string): RecordData {
  const out: RecordData = {};
  for (const field of Object.values(model.fields))
    if (field.default !== undefined) out[field.name] = field.default === '$user' ? userId : field.default;
  return { ...out, ...body };
}

type Attempt = { role: number; model: string; action: string; id?: string; body?: RecordData };

const attempt: fc.Arbitrary<Attempt> = fc.tuple(fc.nat({ max: roles.length - 1 }), fc.constantFrom(...models)).chain(([role, model]) => {
  const id = fc.constantFrom(...known.get(model.id)!);
  const base = { role, model: model.id };
  return fc.oneof(
    { weight: 3, arbitrary: validBody(model, 'create', ids, lookup).map((body): Attempt => ({ ...base, action: 'create', body })) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(id, validBody(model, 'patch', ids, lookup))
        .map(([id, body]): Attempt => ({ ...base, action: 'update', id, body })),
    },
    { weight: 1, arbitrary: id.map((id): Attempt => ({ ...base, action: 'delete', id })) },
    fc.constant<Attempt>({ ...base, action: 'read' }),
    ...Object.values(model.actions).map((action) =>
      fc
        .tuple(id, validBody({ ...model, fields: action.params }, 'create', ids, lookup))
        .map(([id, body]): Attempt => ({ ...base, action: action.name, id, body })),
    ),
  );
});

t.test(`random writes by restricted roles keep to their grants (seed ${SEED})`, async (t) => {
  let before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(attempt, async ({ role: r, model: modelId, action, id, body }) => {
      const role = roles[r];
      const model = lookup(modelId);
      const url = `/api/records/${modelId}${id ? `/${id}` : ''}`;
      const said = `${role.name} ${action} ${url} ${JSON.stringify(body ?? {}).slice(0, 300)}`;
      const grant = grantOf(registry, role.grants, model, action);
      const vars = { user: role.who.user.id, tenant: admin.tenant.id };
      const current = id ? await call(admin, 'GET', url) : undefined;
      if (current && current.status !== 200) return; // deleted meanwhile (by a delete, or a parent's new lines)
      const record = current?.body as RecordData | undefined;
      const allowedOn = (subject: RecordData): boolean => grant === true || (grant !== false && rulesAllow(model, grant, subject, vars));
      const allowed =
        action === 'create'
          ? allowedOn(asCreated(model, body!, role.who.user.id))
          : action === 'update'
            ? allowedOn(record!) && allowedOn({ ...record!, ...body })
            : action === 'read'
              ? grant !== false
              : allowedOn(record!);

      const request: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?] =
        action === 'read'
          ? ['GET', url]
          : action === 'create'
            ? ['POST', url, body]
            : action === 'update'
              ? ['PATCH', url, body]
              : action === 'delete'
                ? ['DELETE', url]
                : ['POST', `${url}/actions/${action}`, body];
      const response = await role.who.request({
        method: request[0],
        url: request[1],
        ...(request[2] === undefined ? {} : { payload: request[2] as object }),
      });
      outcomes[`${allowed ? 'allowed' : 'refused'} ${response.statusCode}`] =
        (outcomes[`${allowed ? 'allowed' : 'refused'} ${response.statusCode}`] ?? 0) + 1;
      const problem = problemWith(response);
      if (problem) throw new Error(`${said}: ${problem}`);
      if (!allowed && response.statusCode < 400)
        throw new Error(`${said}: the grants (${JSON.stringify(grant)}) refuse it, the server answered ${response.statusCode}`);
      if (allowed && response.statusCode === 403)
        throw new Error(`${said}: the grants (${JSON.stringify(grant)}) allow it, the server refused it: ${response.body.slice(0, 300)}`);
      const after = await tenantSnapshot(app.app, admin.tenant.id);
      if (response.statusCode >= 400 && !isDeepStrictEqual(after, before))
        throw new Error(`${said}: refused with ${response.statusCode} but changed the tenant`);
      before = after;
      if (action === 'create' && response.statusCode === 201) known.get(modelId)!.push(response.json().id);
    }),
    fuzzParameters(300),
  );
  t.ok(
    (outcomes['allowed 200'] ?? 0) + (outcomes['allowed 201'] ?? 0) + (outcomes['allowed 204'] ?? 0) > 50,
    `allowed writes went through: ${JSON.stringify(outcomes)}`,
  );
  t.ok((outcomes['refused 403'] ?? 0) > 50, 'refused ones were tried');
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});
