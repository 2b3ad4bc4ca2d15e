import t from 'tap';
import type { ModelDef } from '../../core/src/kernel/registry/registry-types.ts';
import type { SignedIn } from '../../core/src/platform/testing/index.ts';
import { call, type Answer } from '../../core/test/helpers.ts';
import { BUILTIN_ROLES, grantOf, rulesAllow, violating } from './manifest-grants.ts';
import { fieldsOf, startPlatformApp, sweptModels } from './platform-registry.ts';
import { createValid, inBatches, seedTenant } from './seed-tenant.ts';

/*
 * For every builtin role and every model, what the manifests do not grant is refused: 403 for a model
 * or record the role may see but not act on, and the record untouched.
 */
const app = await startPlatformApp();
t.teardown(() => app.close());
const registry = app.app.platform.registry;
const tenant = await seedTenant(registry, await app.signup('Roles'), 'roles');
const signedIn: Record<(typeof BUILTIN_ROLES)[number], SignedIn> = {
  admin: tenant.admin,
  manager: await app.addUser(tenant.admin, ['manager'], 'Manager'),
  user: await app.addUser(tenant.admin, ['user'], 'User'),
};
const bystander = await app.addUser(tenant.admin, ['user'], 'Bystander');
const models = sweptModels(registry);

/** The record as the admin reads it, to prove a refusal changed nothing. */
const current = (model: ModelDef, id: string): Promise<Answer> => call(tenant.admin, 'GET', `/api/records/${model.id}/${id}`);

for (const role of BUILTIN_ROLES) {
  const who = signedIn[role];
  t.test(`${role}: every action the manifests do not grant is refused, on every model`, async (t) => {
    for (const model of models) {
      const read = grantOf(registry, role, model, 'read');
      if (read === false && !model.system) {
        t.equal((await call(who, 'GET', `/api/records/${model.id}`)).status, 403, `${model.id}: list`);
        const groupBy = fieldsOf(model)[0];
        t.equal((await call(who, 'GET', `/api/records/${model.id}/groups?by=${groupBy.name}`)).status, 403, `${model.id}: groups`);
      }
      const create = model.system ? false : grantOf(registry, role, model, 'create');
      if (create !== true && (model.system || tenant.creatable.has(model.id))) {
        const body = { ...tenant.factory.create(model), ...(create === false ? {} : violating(create, bystander.user.id)) };
        if (create !== false && !violating(create, bystander.user.id)) t.comment(`${model.id}: create rule not judged by the sweep`);
        else {
          const answer = await createValid(who, model, body, Object.keys(body).filter((f) => model.fields[f]?.type === 'many2one'));
          t.equal(answer.status, 403, `${model.id}: create ${create === false ? 'not granted' : 'outside the rule'}`);
        }
      }
      // Records the role did not create; the admin's are outside any "$user" rule of another role.
      for (const record of (tenant.records.get(model.id) ?? []).slice(0, 2)) {
        const id = String(record.id);
        const before = await current(model, id);
        const attempts: [string, 'PATCH' | 'POST' | 'DELETE', string, unknown?][] = [
          ['update', 'PATCH', `/api/records/${model.id}/${id}`, tenant.factory.patch(model)],
          ...Object.values(model.actions).map((a): [string, 'POST', string, unknown] => [a.name, 'POST', `/api/records/${model.id}/${id}/actions/${a.name}`, tenant.factory.params(a)]),
          ['delete', 'DELETE', `/api/records/${model.id}/${id}`],
        ];
        await inBatches(attempts, async ([action, method, url, body]) => {
          const granted = model.system ? false : grantOf(registry, role, model, action);
          const allowed = granted === false ? false : granted === true ? true : rulesAllow(granted, before.body, who.user.id);
          if (allowed === undefined) return t.comment(`${model.id}: ${action} rule not judged by the sweep`);
          if (allowed) return;
          const answer = await call(who, method, url, body);
          t.equal(answer.status, 403, `${model.id} ${action}: refused`);
          t.equal(answer.body?.error?.code, 'forbidden');
        }, 4);
        t.same(await current(model, id), before, `${model.id} ${id}: unchanged by the refusals`);
      }
    }
  });
}

t.test('read-only fields are refused naming the field, on create and update, for every role that may write', async (t) => {
  for (const role of BUILTIN_ROLES) {
    const who = signedIn[role];
    for (const model of models.filter((m) => tenant.creatable.has(m.id) && grantOf(registry, role, m, 'create') === true)) {
      const own = await createValid(who, model, tenant.factory.create(model));
      t.equal(own.status, 201, `${role} creates a ${model.id}`);
      for (const field of fieldsOf(model).filter((f) => f.readonly)) {
        const value = tenant.factory.value({ ...field, readonly: false }, 1) ?? null;
        const created = await call(who, 'POST', `/api/records/${model.id}`, { ...tenant.factory.create(model), [field.name]: value });
        t.equal(created.status, 400, `${role} ${model.id}.${field.name} on create`);
        t.match(created.body.error.details, [{ field: field.name }]);
        const patched = await call(who, 'PATCH', `/api/records/${model.id}/${own.body.id}`, { [field.name]: value });
        t.equal(patched.status, 400, `${role} ${model.id}.${field.name} on update`);
        t.match(patched.body.error.details, [{ field: field.name }]);
      }
    }
  }
});
