import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { ModelDef } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { call, q } from '../../core/test/helpers.ts';
import { fieldsOf, filterable, groupable, sortable, startPlatformApp, summable, sweptModels } from './platform-registry.ts';
import { createValid, inBatches, seedTenant } from './seed-tenant.ts';
import { guardField, hiddenFields, maskedRolePermissions, ownRecordsRolePermissions, unreadableIn, userWithRole } from './sweep-roles.ts';

/*
 * Tenant roles generated from every model: one that may not read some fields (and may write only where
 * a hidden field is empty), one that sees only its own records. Nothing hidden may show through
 * records, lines, displays, history, filters, sorts, groups, totals or error messages.
 */
const app = await startPlatformApp();
t.teardown(() => app.close());
const registry = app.app.platform.registry;
const tenant = await seedTenant(app, await app.signup('Tenant roles'), 'roles');
const masked = await userWithRole(app, tenant.admin, 'sweep_masked', maskedRolePermissions(registry));
const owner = await userWithRole(app, tenant.admin, 'sweep_own', ownRecordsRolePermissions(registry));
const models = sweptModels(registry).filter((m) => !m.system);
const urlOf = (model: ModelDef, id: unknown, rest = ''): string => `/api/records/${model.id}/${String(id)}${rest}`;

/** A valid create body with only what the masked role may read, in the record and in its lines. */
function visibleBody(model: ModelDef): RecordData {
  const readable =
    (m: ModelDef) =>
    ([k]: [string, unknown]) =>
      !hiddenFields(m).some((f) => f.name === k);
  const body = Object.fromEntries(Object.entries(tenant.factory.create(model)).filter(readable(model)));
  for (const field of fieldsOf(model).filter((f) => f.type === 'one2many' && Array.isArray(body[f.name]))) {
    body[field.name] = (body[field.name] as RecordData[]).map((line) =>
      Object.fromEntries(Object.entries(line).filter(readable(registry.model(field.target!)!))),
    );
  }
  return body;
}

t.test('records, lines, relation displays and history never hold a field the role may not read', async (t) => {
  for (const model of models) {
    const list = await call(masked, 'GET', `/api/records/${model.id}?limit=500`);
    t.equal(list.status, 200, `${model.id}: list`);
    t.equal(list.body.total, tenant.ids(model.id).length, `${model.id}: every record is readable`);
    for (const record of list.body.data) t.same(unreadableIn(registry, model, record), [], `${model.id} list ${record.id}`);
    await inBatches(tenant.ids(model.id), async (id) => {
      const got = await call(masked, 'GET', urlOf(model, id));
      t.same(unreadableIn(registry, model, got.body), [], `${model.id} get ${id}`);
      const history = await call(masked, 'GET', urlOf(model, id, '/history'));
      for (const entry of history.body.data) {
        t.same(unreadableIn(registry, model, { ...entry.changes, ...entry.previous }), [], `${model.id} history of ${id}`);
      }
    });
  }
});

t.test('group labels, stale-version conflicts and metadata hold nothing the role may not read', async (t) => {
  const meta = (await call(masked, 'GET', '/api/meta')).body;
  for (const model of models) {
    const hidden = new Set(hiddenFields(model).map((f) => f.name));
    t.same(
      Object.keys(meta.models[model.id].fields).filter((f) => hidden.has(f)),
      [],
      `${model.id}: /api/meta lists no hidden field`,
    );
    for (const by of fieldsOf(model).filter((f) => f.type === 'many2one' && !hidden.has(f.name))) {
      const target = registry.model(by.target!)!;
      if (target.system || !hiddenFields(target).some((f) => f.name === target.display)) continue;
      const groups = await call(masked, 'GET', `/api/records/${model.id}/groups?by=${by.name}`);
      t.same(
        groups.body.data.filter((g: { label: unknown }) => g.label !== null),
        [],
        `${model.id} by ${by.name}: ${target.id}'s hidden display is no label`,
      );
    }
    for (const id of tenant.ids(model.id).slice(0, 1)) {
      // The version is judged before the rules (docs/api.md): a record the role reads is a 409 whatever it may do.
      const stale = await call(masked, 'PATCH', urlOf(model, id), {}, { 'if-match': '999' });
      t.equal(stale.status, 409, `${model.id}: a stale version is a conflict`);
      t.same(
        unreadableIn(registry, model, stale.body.error?.details?.current ?? {}),
        [],
        `${model.id}: the conflict's current record is masked`,
      );
      t.equal(stale.body.error?.details?.current?.id, id, `${model.id}: the conflict carries the current record`);
    }
  }
});

t.test('filtering, sorting, grouping, summing or selecting a hidden field is a 400 that reveals no value', async (t) => {
  const checks: { model: ModelDef; url: string; secret: string }[] = [];
  for (const model of models) {
    const stored = tenant.records.get(model.id) ?? [];
    for (const field of hiddenFields(model)) {
      const value = stored.map((r) => r[field.name]).find((v) => v !== null && v !== undefined && typeof v !== 'object');
      const secret = value === undefined ? '\u0000' : String(value);
      const base = `/api/records/${model.id}`;
      if (filterable(field) && value !== undefined) {
        for (const filter of [
          { [field.name]: value },
          { $or: [{ id: randomUUID() }, { [field.name]: { $ne: value } }] },
          { $not: { [field.name]: { $null: true } } },
        ]) {
          checks.push({ model, url: `${base}?filter=${q(filter)}`, secret });
          checks.push({
            model,
            url: `${base}/groups?by=${fieldsOf(model).find((f) => groupable(f) && !hiddenFields(model).includes(f))?.name ?? 'x'}&filter=${q(filter)}`,
            secret,
          });
        }
      }
      if (sortable(field)) checks.push({ model, url: `${base}?sort=-${field.name}`, secret });
      checks.push({ model, url: `${base}?fields=id,${field.name}`, secret });
      if (groupable(field)) checks.push({ model, url: `${base}/groups?by=${field.name}`, secret });
      if (summable(field)) checks.push({ model, url: `${base}/groups?by=id&sum=${field.name}`, secret });
    }
  }
  await inBatches(checks, async ({ model, url, secret }) => {
    const answer = await call(masked, 'GET', url);
    t.equal(answer.status, 400, `${model.id}: ${decodeURIComponent(url)}`);
    t.notOk(JSON.stringify(answer.body).includes(secret), `${model.id}: the error reveals no stored value`);
  });
});

t.test('no order reveals what the role may not read: a many2one whose display is hidden, or a hidden default order', async (t) => {
  const displayHidden = (target: ModelDef): boolean => !target.system && hiddenFields(target).some((f) => f.name === target.display);
  const orderable = (model: ModelDef, field: string): boolean => {
    const def = model.fields[field];
    if (!def) return true; // a system field
    return !hiddenFields(model).includes(def) && !(def.type === 'many2one' && displayHidden(registry.model(def.target!)!));
  };
  for (const model of models) {
    for (const field of fieldsOf(model).filter(
      (f) => f.type === 'many2one' && !orderable(model, f.name) && !hiddenFields(model).includes(f),
    )) {
      t.equal(
        (await call(masked, 'GET', `/api/records/${model.id}?sort=${field.name}`)).status,
        400,
        `${model.id}: sort by ${field.name}, whose ${field.target} display is hidden`,
      );
    }
    // Kanban columns of a many2one come in the target's order, as the role lists the target.
    for (const by of fieldsOf(model).filter((f) => f.type === 'many2one' && !hiddenFields(model).includes(f))) {
      const targetOrder = (await call(masked, 'GET', `/api/records/${by.target}?limit=500`)).body.data.map((r: RecordData) => r.id);
      const keys = (await call(masked, 'GET', `/api/records/${model.id}/groups?by=${by.name}`)).body.data
        .map((g: { key: string | null }) => g.key)
        .filter(Boolean);
      t.same(
        keys,
        targetOrder.filter((id: string) => keys.includes(id)),
        `${model.id} by ${by.name}: columns in ${by.target}'s order as the role reads it`,
      );
    }
    // The default order, as the admin gets it from the keys the role may read, is the role's default order.
    const keys = model.order.split(',').filter((k) => orderable(model, k.replace(/^[-+]/, '')));
    const expected = await call(tenant.admin, 'GET', `/api/records/${model.id}?limit=500&sort=${[...keys, 'id'].join(',')}`);
    const actual = await call(masked, 'GET', `/api/records/${model.id}?limit=500`);
    t.same(
      actual.body.data.map((r: RecordData) => r.id),
      expected.body.data.map((r: RecordData) => r.id),
      `${model.id}: ordered by ${[...keys, 'id'].join(',')} only`,
    );
  }
});

t.test('writing a hidden field is a 400 naming it, on create and update', async (t) => {
  for (const model of models.filter((m) => tenant.creatable.has(m.id))) {
    const own = await createValid(masked, model, visibleBody(model));
    t.equal(own.status, 201, `${model.id}: created with the fields the role reads`);
    // A hook may have filled the guard field: then the record is not the role's to update at all (403 first).
    const guard = guardField(model);
    const stored = (await call(tenant.admin, 'GET', urlOf(model, own.body.id))).body;
    const updatable = !guard || stored[guard.name] === null;
    for (const field of hiddenFields(model).filter((f) => !f.readonly)) {
      const value = tenant.factory.value(field, 1) ?? null;
      const created = await call(masked, 'POST', `/api/records/${model.id}`, { ...visibleBody(model), [field.name]: value });
      t.equal(created.status, 400, `${model.id}.${field.name} on create`);
      t.match(created.body.error.details, [{ field: field.name }]);
      const patched = await call(masked, 'PATCH', urlOf(model, own.body.id), { [field.name]: value });
      t.equal(patched.status, updatable ? 400 : 403, `${model.id}.${field.name} on update`);
      if (updatable) t.match(patched.body.error.details, [{ field: field.name }]);
    }
  }
});

t.test("writing a field of a line that the role may not read is a 400 naming the line's field", async (t) => {
  for (const model of models.filter((m) => tenant.creatable.has(m.id))) {
    const hidden = new Set(hiddenFields(model).map((f) => f.name));
    for (const lines of fieldsOf(model).filter((f) => f.type === 'one2many' && !f.readonly && !hidden.has(f.name))) {
      const target = registry.model(lines.target!)!;
      for (const field of hiddenFields(target).filter((f) => !f.readonly && f.name !== lines.inverse)) {
        const body = visibleBody(model);
        body[lines.name] = [{ ...(body[lines.name] as RecordData[])[0], [field.name]: tenant.factory.value(field, 1) ?? null }];
        const answer = await call(masked, 'POST', `/api/records/${model.id}`, body);
        t.equal(answer.status, 400, `${model.id}.${lines.name}.0.${field.name}`);
        t.match(answer.body?.error?.details, [{ field: `${lines.name}.0.${field.name}` }]);
      }
    }
  }
});

t.test('rules on a hidden field judge the record as stored: set there, update, delete and actions are refused', async (t) => {
  for (const model of models) {
    const guard = guardField(model);
    if (!guard) continue;
    const hidden = new Set(hiddenFields(model).map((f) => f.name));
    for (const record of (tenant.records.get(model.id) ?? [])
      .filter((r) => r[guard.name] !== null && r[guard.name] !== undefined)
      .slice(0, 2)) {
      const before = await call(tenant.admin, 'GET', urlOf(model, record.id));
      const patch = Object.fromEntries(Object.entries(tenant.factory.patch(model)).filter(([k]) => !hidden.has(k)));
      const attempts: [string, 'PATCH' | 'POST' | 'DELETE', string, unknown?][] = [
        ['update', 'PATCH', urlOf(model, record.id), patch],
        ...Object.values(model.actions).map((a): [string, 'POST', string, unknown] => [
          a.name,
          'POST',
          urlOf(model, record.id, `/actions/${a.name}`),
          tenant.factory.params(a),
        ]),
        ['delete', 'DELETE', urlOf(model, record.id)],
      ];
      for (const [action, method, url, body] of attempts) {
        t.equal((await call(masked, method, url, body)).status, 403, `${model.id} ${action}: ${guard.name} is set in the database`);
      }
      t.same(await call(tenant.admin, 'GET', urlOf(model, record.id)), before, `${model.id}: unchanged`);
    }
  }
});

t.test("a role that reads only its own records: others' are 404 on every route, and absent from lists, totals and groups", async (t) => {
  for (const model of models) {
    const others = tenant.ids(model.id).slice(0, 2);
    const random = randomUUID();
    const routes = (id: string): [string, 'GET' | 'PATCH' | 'POST' | 'DELETE', string, unknown?][] => [
      ['get', 'GET', urlOf(model, id)],
      ['history', 'GET', urlOf(model, id, '/history')],
      ['update', 'PATCH', urlOf(model, id), tenant.factory.patch(model)],
      ...Object.values(model.actions).map((a): [string, 'POST', string, unknown] => [
        a.name,
        'POST',
        urlOf(model, id, `/actions/${a.name}`),
        tenant.factory.params(a),
      ]),
      ['delete', 'DELETE', urlOf(model, id)],
    ];
    const expected = await Promise.all(routes(random).map(([, method, url, body]) => call(owner, method, url, body)));
    for (const id of others) {
      const answers = await Promise.all(routes(id).map(([, method, url, body]) => call(owner, method, url, body)));
      answers.forEach((answer, i) => {
        t.equal(answer.status, 404, `${model.id} ${routes(id)[i][0]}: hidden by the rule`);
        t.same(answer, expected[i], `${model.id} ${routes(id)[i][0]}: as for a random id`);
      });
    }
    const mine = tenant.creatable.has(model.id) ? await createValid(owner, model, tenant.factory.create(model)) : undefined;
    const count = mine?.status === 201 ? 1 : 0;
    const list = await call(
      owner,
      'GET',
      `/api/records/${model.id}?filter=${q({ $or: [{ id: { $in: tenant.ids(model.id) } }, { id: { $nin: tenant.ids(model.id) } }] })}`,
    );
    t.equal(list.body.total, count, `${model.id}: the total counts only the user's records`);
    t.same(
      list.body.data.map((r: RecordData) => r.id),
      count ? [mine!.body.id] : [],
      `${model.id}: and lists only them`,
    );
    for (const by of fieldsOf(model).filter(groupable)) {
      const groups = await call(owner, 'GET', `/api/records/${model.id}/groups?by=${by.name}`);
      t.equal(
        groups.body.data.reduce((n: number, g: { count: number }) => n + g.count, 0),
        count,
        `${model.id} by ${by.name}: groups count only the user's records`,
      );
    }
  }
});
