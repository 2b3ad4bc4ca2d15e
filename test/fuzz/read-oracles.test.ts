import t from 'tap';
import fc from 'fast-check';
import { type FieldDef, type ModelDef, parseFilter, matchesCondition } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { money } from '@atrium/protocol';
import { call, q } from '../../core/test/helpers.ts';
import { creationOrder, groupable, summable } from '../security/platform-registry.ts';
import { createValid } from '../security/seed-tenant.ts';
import { idOf } from '../support/stored-value.ts';
import { validBody } from './support/bodies.ts';
import { dataFilter } from './support/data-filters.ts';
import { startFuzzApp } from './support/fuzz-app.ts';
import { fuzzParameters, SEED } from './support/oracle.ts';
import { richValue } from './support/values.ts';
import { coreType } from '../support/core-type.ts';

const { add, compare, format } = money;

/*
 * What a list, its total and its groups say is what the records say. A tenant is filled with records of
 * telling values (both cases, LIKE's own characters, letters with special case rules, characters outside
 * the basic plane, texts as long as their field allows, large amounts); then, for random filters made from
 * those values, the list holds exactly the records that the core's JavaScript matcher (filter-match.ts,
 * which judges events and rules) picks from a full listing, the total counts them, and the groups count and
 * sum them as the listing does.
 */
const { app, admin, failures, known, ids } = await startFuzzApp(t, 'Oracle');
const { registry } = app.app.platform;
const lookup = (id: string): ModelDef => registry.model(id)!;
const PER_MODEL = 12;

const models = creationOrder([...registry.models.values()].filter((m) => !m.system));
for (const [i, model] of models.entries()) {
  const bodies = fc.sample(validBody(model, 'create', ids, lookup, { value: richValue }), { seed: SEED + i, numRuns: PER_MODEL });
  for (const body of bodies) {
    const created = await createValid(admin, model, body);
    if (created.status === 201) known.get(model.id)!.push(created.body.id);
  }
}
/** Every record of each model, as the admin lists them: what the oracle filters. */
const all = new Map<string, RecordData[]>();
for (const model of registry.models.values()) all.set(model.id, (await call(admin, 'GET', `/api/records/${model.id}?limit=500`)).body.data);
const listed = [...registry.models.values()].filter((m) => (all.get(m.id)?.length ?? 0) > 0);

t.test('the tenant holds records of every model to filter', async (t) => {
  for (const model of models) t.ok(all.get(model.id)!.length >= 2, `${model.id}: ${all.get(model.id)!.length} records`);
});

/** A group's key for a record's value, as the groups route gives it. */
const keyOf = (value: unknown): string => JSON.stringify(idOf(value) ?? null);

/** Sum of a field over records, as the database sums it: exact decimals for money, floats otherwise. */
function sumOf(field: FieldDef, records: RecordData[]): string | number {
  const values = records.map((r) => r[field.name]).filter((v) => v !== null && v !== undefined);
  return coreType(field) === 'money' ? format(add('0', ...(values as string[])), 2) : (values as number[]).reduce((s, v) => s + v, 0);
}
const sameSum = (field: FieldDef, expected: string | number, actual: unknown): boolean =>
  coreType(field) === 'money'
    ? compare(String(expected), String(actual)) === 0
    : Math.abs(Number(expected) - Number(actual)) <= 1e-9 * Math.max(1, Math.abs(Number(expected)));

const query = fc.constantFrom(...listed).chain((model) =>
  fc.record({
    model: fc.constant(model.id),
    filter: dataFilter(model, all.get(model.id)!, ids),
    by: fc.constantFrom(...Object.values(model.fields).filter(groupable)).map((f) => f.name),
    sum: fc.option(
      fc.constantFrom(
        ...Object.values(model.fields)
          .filter(summable)
          .map((f) => f.name),
        'none',
      ),
    ),
  }),
);

t.test(`lists, totals and groups under random filters agree with the filter matcher (seed ${SEED})`, async (t) => {
  let matched = 0;
  let empty = 0;
  await fc.assert(
    fc.asyncProperty(query, async ({ model: modelId, filter, by, sum }) => {
      const model = lookup(modelId);
      const condition = parseFilter(model, filter, { source: 'filter' });
      const expected = all.get(model.id)!.filter((record) => matchesCondition(model, condition, record));
      const said = `${model.id} ${JSON.stringify(filter).slice(0, 600)}`;
      const list = await call(admin, 'GET', `/api/records/${model.id}?filter=${q(filter)}&limit=500`);
      if (list.status !== 200) throw new Error(`${said}: ${list.status} ${JSON.stringify(list.body)}`);
      const got: string[] = list.body.data.map((r: RecordData) => String(r.id)).sort();
      const want = expected.map((r) => String(r.id)).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const only = (a: string[], b: string[]) =>
          a.filter((id) => !b.includes(id)).map((id) => JSON.stringify(all.get(model.id)!.find((r) => r.id === id)).slice(0, 400));
        throw new Error(
          `${said}: the list and the matcher differ.\nonly listed: ${only(got, want).join('\n')}\nonly matched: ${only(want, got).join('\n')}`,
        );
      }
      if (list.body.total !== expected.length) throw new Error(`${said}: total ${list.body.total}, ${expected.length} records match`);
      if (expected.length > 0) matched++;
      else empty++;

      const sumField = sum && sum !== 'none' ? model.fields[sum] : undefined;
      const groups = await call(
        admin,
        'GET',
        `/api/records/${model.id}/groups?by=${by}${sumField ? `&sum=${sumField.name}` : ''}&filter=${q(filter)}`,
      );
      if (groups.status !== 200) throw new Error(`${said} by ${by}: ${groups.status} ${JSON.stringify(groups.body)}`);
      const byKey = new Map<string, RecordData[]>();
      for (const record of expected) byKey.set(keyOf(record[by]), [...(byKey.get(keyOf(record[by])) ?? []), record]);
      const answered = groups.body.data as { key: unknown; count: number; sum?: unknown }[];
      if (answered.length !== byKey.size)
        throw new Error(`${said} by ${by}: ${answered.length} groups, ${byKey.size} values among the records`);
      for (const group of answered) {
        const members = byKey.get(JSON.stringify(group.key)) ?? [];
        if (group.count !== members.length)
          throw new Error(`${said} by ${by}: group ${JSON.stringify(group.key)} counts ${group.count}, ${members.length} records hold it`);
        if (sumField && !sameSum(sumField, sumOf(sumField, members), group.sum))
          throw new Error(
            `${said} by ${by}: group ${JSON.stringify(group.key)} sums ${String(group.sum)}, its records ${sumOf(sumField, members)}`,
          );
      }
      if (answered.reduce((n, g) => n + g.count, 0) !== list.body.total)
        throw new Error(`${said} by ${by}: the groups do not add up to the total`);
    }),
    fuzzParameters(500),
  );
  t.ok(matched > 100 && empty > 20, `filters both matched records (${matched}) and matched none (${empty})`);
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});

t.test('a total equals the sum of what a full listing returns, and every group sum its records', async (t) => {
  for (const model of listed) {
    const list = all.get(model.id)!;
    const total = (await call(admin, 'GET', `/api/records/${model.id}?limit=1`)).body.total;
    t.equal(total, list.length, `${model.id}: the total is the number of records listed`);
    for (const field of Object.values(model.fields).filter(summable)) {
      const by = Object.values(model.fields).find(groupable)!;
      const groups = (await call(admin, 'GET', `/api/records/${model.id}/groups?by=${by.name}&sum=${field.name}`)).body.data as {
        sum: unknown;
      }[];
      const grand =
        coreType(field) === 'money'
          ? format(add('0', ...groups.map((g) => String(g.sum))), 2)
          : groups.reduce((s, g) => s + Number(g.sum), 0);
      t.ok(
        sameSum(field, sumOf(field, list), grand),
        `${model.id}: the groups' ${field.name} sums add up to the listing's (${String(grand)})`,
      );
    }
  }
});
