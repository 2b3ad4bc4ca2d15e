import t, { type Test } from 'tap';
import type { RolePermissionsManifest, ModelDef, SignedIn } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { call, type Answer } from '../../core/test/helpers.ts';
import { idOf, notStored } from '../support/stored-value.ts';
import { actionAvailable, actionsOf, grantOf, rulesAllow, valuesFor, type Granted } from './manifest-grants.ts';
import { fieldsOf, groupable, startPlatformApp, sweptModels } from './platform-registry.ts';
import { createValid, inBatches, seedTenant } from './seed-tenant.ts';
import { partialRolePermissions, userWithRole } from './sweep-roles.ts';

/*
 * For every role — the builtin ones, from the manifests, and a generated tenant role that may not even
 * read some models and acts under rules on plain values — every model and every action: what the role is
 * granted succeeds, with its effect in the database, and what it is not is refused (403) and changes
 * nothing. Each check gets records of its own, built to satisfy the role's rules or to violate them, and
 * judged on the record as stored by the core's rule matcher (not the SQL the server enforces rules with).
 * A rule no record can be built for is reported as a skip, never passed over.
 */
const app = await startPlatformApp();
t.teardown(() => app.close());
const registry = app.app.platform.registry;
const tenant = await seedTenant(app, await app.signup('Roles'), 'roles');
const admin = tenant.admin;
const partial = partialRolePermissions(registry);

interface SweptRole {
  name: string;
  /** A builtin role's name, or a tenant role's permissions. */
  grants: string | RolePermissionsManifest;
  who: SignedIn;
}
const roles: SweptRole[] = [
  { name: 'admin', grants: 'admin', who: admin },
  { name: 'manager', grants: 'manager', who: await app.addUser(admin, ['manager'], 'Manager') },
  { name: 'user', grants: 'user', who: await app.addUser(admin, ['user'], 'User') },
  { name: 'sweep_partial', grants: partial, who: await userWithRole(app, admin, 'sweep_partial', partial) },
];
const bystander = await app.addUser(admin, ['user'], 'Bystander');
const models = sweptModels(registry);
const lookup = (id: string): ModelDef => registry.model(id)!;

const url = (model: ModelDef, id?: string, rest = ''): string => `/api/records/${model.id}${id ? `/${id}` : ''}${rest}`;
const stored = (model: ModelDef, id: string): Promise<Answer> => call(admin, 'GET', url(model, id));
const everything = async (model: ModelDef): Promise<RecordData[]> => (await call(admin, 'GET', `${url(model)}?limit=500`)).body.data;
const vars = (who: SignedIn) => ({ user: who.user.id, tenant: who.tenant.id });
const grantsSaid = (grant: Granted): string =>
  grant === true ? 'granted' : grant === false ? 'not granted' : `granted under ${JSON.stringify(grant)}`;

/** A check the sweep cannot make, reported as a skip (never a pass). */
const notJudged = (t: Test, what: string): void => void t.pass(what, { skip: 'not judged by the sweep' });

/** A record as the role reads it: the display of a relation to a model it may not read is null. */
function readBy(role: SweptRole, model: ModelDef, record: RecordData): RecordData {
  const out = { ...record };
  const blind = (value: unknown) => ({ ...(value as object), display: null });
  for (const field of fieldsOf(model)) {
    if (!field.target || field.type === 'one2many' || out[field.name] === null) continue;
    if (grantOf(registry, role.grants, lookup(field.target), 'read') !== false) continue;
    out[field.name] = Array.isArray(out[field.name]) ? (out[field.name] as unknown[]).map(blind) : blind(out[field.name]);
  }
  return out;
}

/** What to build for a check: something the grant allows, something it refuses, or both when it has rules. */
const intentsOf = (grant: Granted): readonly ('satisfy' | 'violate')[] =>
  grant === true ? ['satisfy'] : grant === false ? ['violate'] : ['satisfy', 'violate'];

/** Records made for one check: one the rules allow and one they refuse (one of them when the grant is plain). */
async function candidates(
  t: Test,
  role: SweptRole,
  model: ModelDef,
  action: string,
  grant: Granted,
): Promise<{ record: RecordData; allowed: boolean }[]> {
  const out: { record: RecordData; allowed: boolean }[] = [];
  for (const intent of intentsOf(grant)) {
    const values = typeof grant === 'boolean' ? {} : valuesFor(model, grant, intent, { self: role.who.user.id, other: bystander.user.id });
    const aim = intent === 'satisfy' ? 'allows' : 'refuses';
    if (!values) {
      notJudged(t, `${role.name} ${model.id} ${action}: no record that ${JSON.stringify(grant)} ${aim} can be built here`);
      continue;
    }
    const created = await createValid(admin, model, { ...tenant.factory.create(model), ...values }, Object.keys(values));
    if (created.status !== 201)
      throw new Error(`a record for ${role.name} ${model.id} ${action}: ${created.status} ${JSON.stringify(created.body)}`);
    const record = (await stored(model, created.body.id)).body;
    const allowed = grant === true || (grant !== false && rulesAllow(model, grant, record, vars(role.who)));
    if (allowed !== (intent === 'satisfy')) {
      notJudged(
        t,
        `${role.name} ${model.id} ${action}: the record built so that ${JSON.stringify(grant)} ${aim} it is not one it ${aim} (a module changed it)`,
      );
      continue;
    }
    out.push({ record, allowed });
  }
  return out;
}

for (const role of roles) {
  const { who } = role;

  t.test(`${role.name}: reads what it is granted, in full, and nothing of the rest`, async (t) => {
    for (const model of models) {
      const read = grantOf(registry, role.grants, model, 'read');
      const all = await everything(model);
      if (read === false) {
        const some = String(all[0]?.id ?? tenant.ids(model.id)[0]);
        const groupBy = fieldsOf(model).find(groupable)?.name ?? 'id';
        for (const [what, path] of [
          ['list', url(model)],
          ['groups', `${url(model)}/groups?by=${groupBy}`],
          ['get', url(model, some)],
          ['history', url(model, some, '/history')],
        ]) {
          const answer = await call(who, 'GET', path);
          t.equal(answer.status, 403, `${model.id} ${what}: not granted`);
          t.equal(answer.body?.error?.code, 'forbidden');
        }
        continue;
      }
      const expected = read === true ? all : all.filter((r) => rulesAllow(model, read, r, vars(who)));
      const list = await call(who, 'GET', `${url(model)}?limit=500`);
      t.equal(list.status, 200, `${model.id}: list ${grantsSaid(read)}`);
      t.same(
        list.body.data.map((r: RecordData) => r.id).sort(),
        expected.map((r) => r.id).sort(),
        `${model.id}: every record the grant allows, no other`,
      );
      t.equal(list.body.total, expected.length, `${model.id}: the total counts them`);
      for (const record of expected.slice(0, 2)) {
        const got = await call(who, 'GET', url(model, String(record.id)));
        t.equal(got.status, 200, `${model.id} get`);
        // No field is hidden from these roles except the tenant users' private ones (every role reads their
        // names), and the display of a relation to a model the role may not read.
        const keys = model.system ? Object.keys(got.body) : Object.keys(record);
        const shown = readBy(role, model, record);
        t.same(
          Object.fromEntries(keys.map((k) => [k, got.body[k]])),
          Object.fromEntries(keys.map((k) => [k, shown[k]])),
          `${model.id} get: the record as stored`,
        );
      }
    }
  });

  t.test(`${role.name}: creates what it is granted, and nothing else`, async (t) => {
    for (const model of models.filter((m) => m.system || tenant.creatable.has(m.id))) {
      const grant = grantOf(registry, role.grants, model, 'create');
      for (const intent of intentsOf(grant)) {
        const values = typeof grant === 'boolean' ? {} : valuesFor(model, grant, intent, { self: who.user.id, other: bystander.user.id });
        if (!values) {
          notJudged(
            t,
            `${model.id} create: no body that ${JSON.stringify(grant)} ${intent === 'satisfy' ? 'allows' : 'refuses'} can be built here`,
          );
          continue;
        }
        const body = { ...tenant.factory.create(model), ...values };
        const allowed = grant === true || (grant !== false && rulesAllow(model, grant, body, vars(who)));
        const before = await everything(model);
        const answer = await createValid(who, model, body, Object.keys(values));
        if (!allowed) {
          t.equal(answer.status, 403, `${model.id} create: ${grantsSaid(grant)}, refused`);
          t.same(
            (await everything(model)).map((r) => r.id),
            before.map((r) => r.id),
            `${model.id}: nothing was created`,
          );
          continue;
        }
        t.equal(answer.status, 201, `${model.id} create: ${grantsSaid(grant)}, done`);
        const after = await stored(model, answer.body?.id);
        t.equal(after.status, 200, `${model.id}: the record exists`);
        t.equal(idOf(after.body.created_by), who.user.id, `${model.id}: created by ${role.name}`);
        t.same(notStored(model, values, after.body, lookup), [], `${model.id}: with the values sent`);
      }
    }
  });

  t.test(`${role.name}: updates, deletes and acts where it is granted, with the effect; refused elsewhere, changing nothing`, async (t) => {
    for (const model of models) {
      // Users are written by the administration API; lines only through their parent (the module says so): 403 for all.
      const direct = !model.system && tenant.creatable.has(model.id);
      for (const action of ['update', 'delete', ...Object.keys(model.actions)]) {
        const grant = direct ? grantOf(registry, role.grants, model, action) : false;
        const records = direct
          ? await candidates(t, role, model, action, grant)
          : (tenant.records.get(model.id) ?? []).slice(0, 2).map((record) => ({ record, allowed: false }));
        await inBatches(
          records,
          async ({ record, allowed }) => {
            const id = String(record.id);
            const patch = tenant.factory.patch(model);
            const request: ['PATCH' | 'DELETE' | 'POST', string, unknown?] =
              action === 'update'
                ? ['PATCH', url(model, id), patch]
                : action === 'delete'
                  ? ['DELETE', url(model, id)]
                  : ['POST', url(model, id, `/actions/${action}`), tenant.factory.params(model.actions[action])];
            // An update must leave the record inside the rule that allowed it; an action must be available (`when`).
            const stillAllowed = grant === true || (grant !== false && rulesAllow(model, grant, { ...record, ...patch }, vars(who)));
            const expected = !allowed
              ? 403
              : action === 'delete'
                ? 204
                : action === 'update'
                  ? stillAllowed
                    ? 200
                    : 403
                  : actionAvailable(model, action, record)
                    ? 200
                    : 409;
            const said = `${model.id} ${action} (${grantsSaid(grant)}) on a record the rules ${allowed ? 'allow' : 'refuse'}`;
            const before = await stored(model, id);
            const answer = await call(who, ...request);
            t.equal(answer.status, expected, said);
            const after = await stored(model, id);
            if (expected >= 400) {
              t.equal(answer.body?.error?.code, expected === 403 ? 'forbidden' : 'conflict', `${said}: the error`);
              t.same(after, before, `${said}: the record is unchanged`);
            } else if (expected === 204) {
              t.equal(after.status, 404, `${said}: the record is gone`);
            } else {
              t.equal(after.body.version, before.body.version + 1, `${said}: the version moved by one`);
              t.equal(idOf(after.body.updated_by), who.user.id, `${said}: updated by ${role.name}`);
              t.same(answer.body, readBy(role, model, after.body), `${said}: the answer is the record as stored`);
              if (action === 'update') t.same(notStored(model, patch, after.body, lookup), [], `${said}: with the values sent`);
            }
          },
          4,
        );
      }
    }
  });
}

t.test('read-only fields are refused naming the field, on create and update, for every role that may write', async (t) => {
  for (const role of roles) {
    const { who } = role;
    for (const model of models.filter((m) => tenant.creatable.has(m.id) && grantOf(registry, role.grants, m, 'create') === true)) {
      const own = await createValid(who, model, tenant.factory.create(model));
      t.equal(own.status, 201, `${role.name} creates a ${model.id}`);
      for (const field of fieldsOf(model).filter((f) => f.readonly)) {
        const value = tenant.factory.value({ ...field, readonly: false }, 1) ?? null;
        const created = await call(who, 'POST', url(model), { ...tenant.factory.create(model), [field.name]: value });
        t.equal(created.status, 400, `${role.name} ${model.id}.${field.name} on create`);
        t.match(created.body.error.details, [{ field: field.name }]);
        const patched = await call(who, 'PATCH', url(model, own.body.id), { [field.name]: value });
        t.equal(patched.status, 400, `${role.name} ${model.id}.${field.name} on update`);
        t.match(patched.body.error.details, [{ field: field.name }]);
      }
    }
  }
});

t.test('the sweep met every kind of grant: none, plain, and rules allowing and refusing', async (t) => {
  const kinds = new Set<string>();
  for (const role of roles) {
    for (const model of models) {
      for (const action of actionsOf(model)) {
        const grant = grantOf(registry, role.grants, model, action);
        kinds.add(`${action === 'read' ? 'read' : 'write'} ${grant === true ? 'true' : grant === false ? 'false' : 'rules'}`);
      }
    }
  }
  t.same([...kinds].sort(), ['read false', 'read true', 'write false', 'write rules', 'write true']);
});
