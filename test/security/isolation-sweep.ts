import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { FieldDef, ModelDef, TestApp } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { call, q, type Answer } from '../../core/test/helpers.ts';
import {
  fieldsOf,
  filterable,
  groupable,
  isRelation,
  SERVER_SET_FIELDS,
  sortable,
  summable,
  sweptModels,
  writable,
} from './platform-registry.ts';
import { createValid, inBatches, seedTenant } from './seed-tenant.ts';

/*
 * Tenant B attacks tenant A on every route of every model of every shipped module, with A's ids,
 * relation ids and values. Nothing of A may come back, a 404 must read as one for a random id, and
 * A's records must be exactly as they were.
 */
export async function isolationSweep(t: Test, app: TestApp): Promise<void> {
  const registry = app.app.platform.registry;
  const models = sweptModels(registry);
  const A = await seedTenant(registry, await app.signup('Tenant A'), 'alpha');
  const B = await seedTenant(registry, await app.signup('Tenant B'), 'bravo');
  const aIds = new Set(models.flatMap((m) => A.ids(m.id)));
  const aValues = A.values();
  // A file in the chatter of A's first record that has one: B asks for it through every record id.
  const chattering = models.find((m) => m.chatter && A.ids(m.id).length > 0);
  const aFile = chattering
    ? (
        await A.admin.request({
          method: 'POST',
          url: `/api/records/${chattering.id}/${A.ids(chattering.id)[0]}/attachments?name=a.txt`,
          payload: 'A only',
          headers: { 'content-type': 'text/plain' },
        })
      ).json().id
    : randomUUID();

  /** Every record of A as A reads it (lines included), to prove at the end that nothing changed. */
  const snapshot = (): Promise<Answer[]> =>
    inBatches(
      models.flatMap((m) => A.ids(m.id).map((id) => `/api/records/${m.id}/${id}`)),
      (url) => call(A.admin, 'GET', url),
    );
  const before = await snapshot();

  /** Nothing of A in an answer: none of its ids, none of its tagged values. */
  function leaks(answer: Answer): string[] {
    const text = JSON.stringify(answer.body ?? '');
    return [...[...aIds].filter((id) => text.includes(id)), ...aValues.filter((v) => text.includes(v))];
  }

  /** A filter value for a record's value of a field (a relation by its id). */
  function filterValue(field: { type?: string } | undefined, value: unknown): unknown {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) return value.length > 0 ? (value[0] as { id: string }).id : undefined;
    if (typeof value === 'object') return (value as { id: string }).id;
    return field?.type === 'json' ? undefined : value;
  }

  const routesFor = (
    model: ModelDef,
    id: string,
  ): [string, 'GET' | 'PATCH' | 'DELETE' | 'POST', string, unknown?, Record<string, string>?][] => [
    ['get', 'GET', `/api/records/${model.id}/${id}`],
    ['history', 'GET', `/api/records/${model.id}/${id}/history`],
    ['patch', 'PATCH', `/api/records/${model.id}/${id}`, B.factory.patch(model)],
    // A stale version must not answer 409 with the record as it is.
    ['patch if-match', 'PATCH', `/api/records/${model.id}/${id}`, B.factory.patch(model), { 'if-match': '99' }],
    ...Object.values(model.actions).map((action): [string, 'POST', string, unknown] => [
      `action ${action.name}`,
      'POST',
      `/api/records/${model.id}/${id}/actions/${action.name}`,
      B.factory.params(action),
    ]),
    ...(model.chatter ? chatterRoutes(model, id) : []),
    ['delete', 'DELETE', `/api/records/${model.id}/${id}`],
  ];

  /** The chatter of a record: its timeline, followers, files and activities (docs/api.md, "Chatter and activities"). */
  const chatterRoutes = (model: ModelDef, id: string): [string, 'GET' | 'DELETE' | 'POST', string, unknown?, Record<string, string>?][] => {
    const url = `/api/records/${model.id}/${id}`;
    const activity = { type: 'todo', summary: 'Sweep', due: '2030-01-01', assigned_to: B.admin.user.id };
    return [
      ['messages', 'GET', `${url}/messages`],
      ['post message', 'POST', `${url}/messages`, { body: 'Sweep', kind: 'note' }],
      ['followers', 'GET', `${url}/followers`],
      ['follow', 'POST', `${url}/followers`],
      ['unfollow', 'DELETE', `${url}/followers`],
      ['activities', 'GET', `${url}/activities`],
      ['schedule', 'POST', `${url}/activities`, activity],
      ['attachment', 'GET', `${url}/attachments/${aFile}`],
    ];
  };

  t.test("every record route with another tenant's id answers exactly as for a random id", async (t) => {
    for (const model of models) {
      const random = randomUUID();
      const expected = new Map<string, Answer>();
      for (const [name, method, url, body, headers] of routesFor(model, random))
        expected.set(name, await call(B.admin, method, url, body, headers));
      const attempts = A.ids(model.id).flatMap((id) =>
        [id, id.toUpperCase()].flatMap((form) => routesFor(model, form).map((route) => ({ id, route }))),
      );
      await inBatches(attempts, async ({ id, route: [name, method, url, body, headers] }) => {
        const answer = await call(B.admin, method, url, body, headers);
        t.notOk(answer.status < 300, `${model.id} ${name} ${id}: refused`);
        if (!model.system) t.equal(answer.status, 404, `${model.id} ${name}: 404`);
        t.same(answer, expected.get(name), `${model.id} ${name}: the same answer as a random id`);
      });
    }
    const random = await call(B.admin, 'GET', `/api/records/${models[0].id}/${randomUUID()}`);
    for (const malformed of ['not-a-uuid', '%zz', `${[...aIds][0]}x`]) {
      t.same(await call(B.admin, 'GET', `/api/records/${models[0].id}/${malformed}`), random, `the id "${malformed}" is simply not found`);
    }
  });

  t.test("lists filtered and sorted by every field, with A's values and relation ids, give B nothing of A", async (t) => {
    const checks: { model: ModelDef; query: string; empty: boolean }[] = [];
    for (const model of models) {
      const fields: ({ name: string } & Partial<FieldDef>)[] = [
        ...fieldsOf(model).filter(filterable),
        ...['id', 'created_by', 'updated_by', 'created_at'].map((name) => ({ name })),
      ];
      for (const field of fields) {
        for (const record of (A.records.get(model.id) ?? []).slice(0, 2)) {
          const value = filterValue(field, record[field.name]);
          if (value === undefined) continue;
          // A's ids, relation ids and tagged texts exist only in A: B must get nothing for them.
          const empty = typeof value === 'string' && (aIds.has(value) || value.includes(A.tag));
          checks.push({ model, query: `filter=${q({ [field.name]: value })}`, empty });
          checks.push({
            model,
            query: `filter=${q({ $or: [{ [field.name]: { $in: [value] } }, { id: { $in: A.ids(model.id) } }] })}`,
            empty,
          });
          if (typeof value === 'string' && field.type && ['string', 'text', 'email', 'phone', 'url'].includes(field.type))
            checks.push({ model, query: `filter=${q({ [field.name]: { $ilike: `%${A.tag}%` } })}`, empty: true });
        }
      }
      for (const field of fieldsOf(model).filter(sortable))
        for (const sort of [field.name, `-${field.name}`]) checks.push({ model, query: `sort=${sort}&limit=500`, empty: false });
    }
    await inBatches(checks, async ({ model, query, empty }) => {
      const answer = await call(B.admin, 'GET', `/api/records/${model.id}?${query}`);
      t.equal(answer.status, 200, `${model.id}?${decodeURIComponent(query)}`);
      t.same(leaks(answer), [], `${model.id}?${decodeURIComponent(query)}: nothing of A`);
      t.ok(answer.body.total <= B.ids(model.id).length, `${model.id}: the total counts only B's records`);
      if (empty) t.equal(answer.body.total, 0, `${model.id}?${decodeURIComponent(query)}: nothing matches A's values`);
    });
  });

  t.test("groups by every groupable field count only B, even filtered by A's relation ids", async (t) => {
    const checks: { model: ModelDef; by: FieldDef; query: string }[] = [];
    for (const model of models.filter((m) => !m.system)) {
      const sum = fieldsOf(model).find(summable);
      const relationFilters = fieldsOf(model)
        .filter(isRelation)
        .map((f) => ({ field: f, id: filterValue(f, A.records.get(model.id)?.[0]?.[f.name]) }))
        .filter((x) => x.id !== undefined);
      for (const by of fieldsOf(model).filter(groupable)) {
        const base = `by=${by.name}${sum ? `&sum=${sum.name}` : ''}`;
        checks.push({ model, by, query: base });
        for (const { field, id } of relationFilters) checks.push({ model, by, query: `${base}&filter=${q({ [field.name]: id })}` });
      }
    }
    await inBatches(checks, async ({ model, by, query }) => {
      const answer = await call(B.admin, 'GET', `/api/records/${model.id}/groups?${query}`);
      t.equal(answer.status, 200, `${model.id}/groups?${query}`);
      t.same(leaks(answer), [], `${model.id} by ${by.name}: no key or label of A`);
      const count = (answer.body.data as { count: number }[]).reduce((n, g) => n + g.count, 0);
      t.ok(count <= B.ids(model.id).length, `${model.id} by ${by.name}: counts only B's records`);
      if (query.includes('filter')) t.equal(count, 0, `${model.id} by ${by.name} filtered by A's relation: nothing`);
    });
  });

  t.test('a body naming a server-set field cannot set it, on create, update or a line', async (t) => {
    for (const model of models.filter((m) => B.creatable.has(m.id))) {
      const own = B.records.get(model.id)![0];
      for (const name of SERVER_SET_FIELDS) {
        const value =
          name === 'version'
            ? 99
            : name.endsWith('_at')
              ? '2000-01-01T00:00:00Z'
              : name === 'tenant_id'
                ? A.admin.tenant.id
                : name === 'id'
                  ? randomUUID()
                  : A.admin.user.id;
        const created = await call(B.admin, 'POST', `/api/records/${model.id}`, { ...B.factory.create(model), [name]: value });
        t.equal(created.status, 400, `${model.id} create with ${name}`);
        t.match(created.body.error.details, [{ field: name }], `${model.id} create: the problem names ${name}`);
        const patched = await call(B.admin, 'PATCH', `/api/records/${model.id}/${own.id}`, { [name]: value });
        t.equal(patched.status, 400, `${model.id} update with ${name}`);
        t.match(patched.body.error.details, [{ field: name }]);
        for (const lines of fieldsOf(model).filter((f) => f.type === 'one2many' && writable(f))) {
          const body = B.factory.create(model);
          (body[lines.name] as RecordData[])[0][name] = value;
          const withLine = await call(B.admin, 'POST', `/api/records/${model.id}`, body);
          t.equal(withLine.status, 400, `${model.id}.${lines.name} line with ${name}`);
          // A line's id names the line to update: an unknown one is refused as not this record's line.
          t.match(withLine.body.error.details, [{ field: name === 'id' ? lines.name : `${lines.name}.0.${name}` }]);
        }
      }
      const after = await call(B.admin, 'GET', `/api/records/${model.id}/${own.id}`);
      t.equal(after.body.version, own.version, `${model.id}: B's record kept its version`);
    }
    t.same(await call(B.admin, 'GET', `/api/records/${models.find((m) => !m.system)!.id}?filter=${q({ created_by: A.admin.user.id })}`), {
      status: 200,
      body: { data: [], total: 0 },
    });
  });

  t.test("a relation to A's records is refused naming the field, on create, update and lines", async (t) => {
    for (const model of models.filter((m) => B.creatable.has(m.id))) {
      const own = B.records.get(model.id)![0];
      for (const field of fieldsOf(model).filter((f) => writable(f) && isRelation(f) && A.ids(f.target!).length > 0)) {
        const theirs = field.type === 'many2many' ? [A.ids(field.target!)[0]] : A.ids(field.target!)[0];
        const created = await createValid(B.admin, model, { ...B.factory.create(model), [field.name]: theirs }, [field.name]);
        t.equal(created.status, 400, `${model.id}.${field.name} = A's record on create`);
        t.match(created.body.error.details, [{ field: field.name }]);
        const patched = await call(B.admin, 'PATCH', `/api/records/${model.id}/${own.id}`, { [field.name]: theirs });
        t.equal(patched.status, 400, `${model.id}.${field.name} = A's record on update`);
        t.match(patched.body.error.details, [{ field: field.name }]);
      }
      for (const lines of fieldsOf(model).filter((f) => f.type === 'one2many' && writable(f))) {
        const target = registry.model(lines.target!)!;
        for (const field of fieldsOf(target).filter(
          (f) => writable(f) && isRelation(f) && f.name !== lines.inverse && A.ids(f.target!).length > 0,
        )) {
          const body = B.factory.create(model);
          (body[lines.name] as RecordData[])[0][field.name] =
            field.type === 'many2many' ? [A.ids(field.target!)[0]] : A.ids(field.target!)[0];
          const answer = await call(B.admin, 'POST', `/api/records/${model.id}`, body);
          t.equal(answer.status, 400, `${model.id}.${lines.name}.0.${field.name} = A's record`);
          t.match(answer.body.error.details, [{ field: `${lines.name}.0.${field.name}` }]);
        }
        const theirLine = A.ids(target.id)[0];
        if (theirLine) {
          const adopted = await call(B.admin, 'PATCH', `/api/records/${model.id}/${own.id}`, { [lines.name]: [{ id: theirLine }] });
          t.equal(adopted.status, 400, `${model.id}.${lines.name}: A's line cannot be taken over`);
          t.match(adopted.body.error.details, [{ field: lines.name }]);
        }
      }
    }
  });

  t.test("unique values are per tenant: B may use A's, and no conflict tells that A has them", async (t) => {
    for (const model of models.filter((m) => B.creatable.has(m.id) && m.unique.length > 0)) {
      for (const unique of model.unique.filter((fields) => fields.every((f) => writable(model.fields[f])))) {
        // A value only A has (module data is the same in every tenant).
        const theirs = A.records.get(model.id)!.find((r) => unique.every((f) => typeof r[f] === 'string' && String(r[f]).includes(A.tag)));
        if (!theirs) continue;
        const created = await createValid(
          B.admin,
          model,
          { ...B.factory.create(model), ...Object.fromEntries(unique.map((f) => [f, theirs[f]])) },
          unique,
        );
        t.equal(created.status, 201, `${model.id} (${unique.join(', ')}): A's value is free in B`);
      }
    }
  });

  t.test("after every refused write A's records are exactly as they were", async (t) => {
    const after = await snapshot();
    after.forEach((answer, i) => t.same(answer, before[i], `A's record ${before[i].body?.id}`));
    // A listing now, against the ids seeded: no record of A was removed, and none was added to A.
    for (const model of models) {
      const now = await call(A.admin, 'GET', `/api/records/${model.id}?limit=500`);
      t.same(now.body.data.map((r: RecordData) => r.id).sort(), [...A.ids(model.id)].sort(), `${model.id}: A holds exactly its records`);
      t.equal(now.body.total, A.ids(model.id).length, `${model.id}: A's total`);
    }
  });
}
