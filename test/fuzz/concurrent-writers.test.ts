import t from 'tap';
import fc from 'fast-check';
import { type ModelDef, sql, type SignedIn } from '@atrium/core/testing';
import { call } from '../../core/test/helpers.ts';
import { creationOrder } from '../security/platform-registry.ts';
import { createValid } from '../security/seed-tenant.ts';
import { validBody } from './support/bodies.ts';
import { startFuzzApp } from './support/fuzz-app.ts';
import { fuzzParameters, SEED } from './support/oracle.ts';

/*
 * Random writers at once on the same two records: updates (some with the If-Match of the version they
 * started from), actions and deletes, by two users. Whatever the interleaving, no write is lost or
 * counted twice: a record's version moved by one per update or action that answered 200, it has one
 * event per such write (and one for its creation, and one for a delete that answered 204), a deleted
 * record is gone, and of the writes naming the same version at most one won.
 */
const { app, admin, failures, ids } = await startFuzzApp(t, 'Concurrent');
const { registry, db } = app.app.platform;
const lookup = (id: string): ModelDef => registry.model(id)!;
const manager = await app.addUser(admin, ['manager']);
const writers: SignedIn[] = [admin, manager];

/** Models the admin creates directly (lines are written through their parent). */
const models: ModelDef[] = [];
for (const [i, model] of creationOrder([...registry.models.values()].filter((m) => !m.system)).entries()) {
  const [body] = fc.sample(validBody(model, 'create', ids, lookup), { seed: SEED + i, numRuns: 1 });
  const created = await createValid(admin, model, body);
  if (created.status === 201) models.push(model);
}

const kindOf = (w: Write): string => (w.kind.includes('update') || w.kind === 'delete' ? w.kind : 'action');

type Write = { writer: number; target: 0 | 1; kind: 'update' | 'versioned update' | 'delete' | string; body: Record<string, unknown> };

const batch = fc.constantFrom(...models).chain((model) =>
  fc.record({
    model: fc.constant(model.id),
    records: fc.tuple(validBody(model, 'create', ids, lookup), validBody(model, 'create', ids, lookup)),
    writes: fc.array(
      fc.record({
        writer: fc.nat({ max: writers.length - 1 }),
        target: fc.constantFrom<0 | 1>(0, 1),
        kind: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('update', 'versioned update') },
          fc.constantFrom('delete', ...Object.keys(model.actions)),
        ),
        body: validBody(model, 'patch', ids, lookup),
      }) as fc.Arbitrary<Write>,
      { minLength: 2, maxLength: 6 },
    ),
  }),
);

t.test(`concurrent writers lose no write and count none twice (seed ${SEED})`, async (t) => {
  const outcomes: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(batch, async ({ model: modelId, records, writes }) => {
      const model = lookup(modelId);
      const created = await Promise.all(records.map((body) => createValid(admin, model, body)));
      if (created.some((c) => c.status !== 201)) return; // a module's rule refused the starting records
      const targets = created.map((c) => ({ id: String(c.body.id), version: Number(c.body.version) }));
      const answers = await Promise.all(
        writes.map((w) => {
          const { id, version } = targets[w.target];
          const url = `/api/records/${modelId}/${id}`;
          const who = writers[w.writer];
          if (w.kind === 'delete') return call(who, 'DELETE', url);
          if (w.kind === 'update') return call(who, 'PATCH', url, w.body);
          if (w.kind === 'versioned update') return call(who, 'PATCH', url, w.body, { 'if-match': String(version) });
          return call(
            who,
            'POST',
            `${url}/actions/${w.kind}`,
            Object.fromEntries(
              Object.keys(model.actions[w.kind].params).map((p) => [p, ids(model.actions[w.kind].params[p].target ?? '')[0] ?? null]),
            ),
          );
        }),
      );
      const said = `${modelId} ${JSON.stringify(writes.map((w, i) => `${w.kind}→${w.target}: ${answers[i].status}`))}`;
      answers.forEach((a, i) => {
        const key = `${kindOf(writes[i])} ${a.status}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        // 400: a module's rule on the values; 404: deleted by a write before it; 409: a version or a state.
        if (![200, 204, 400, 404, 409].includes(a.status) || (a.status >= 400 && typeof a.body?.error?.code !== 'string'))
          throw new Error(`${said}: ${a.status} ${JSON.stringify(a.body)}`);
      });
      for (const [n, { id, version }] of targets.entries()) {
        const mine = writes.map((w, i) => ({ w, a: answers[i] })).filter(({ w }) => w.target === n);
        const written = mine.filter(({ w, a }) => w.kind !== 'delete' && a.status === 200).length;
        const deleted = mine.filter(({ a }) => a.status === 204).length;
        const stored = await call(admin, 'GET', `/api/records/${modelId}/${id}`);
        if (deleted > 1) throw new Error(`${said}: record ${n} deleted ${deleted} times`);
        if (deleted === 1 && stored.status !== 404) throw new Error(`${said}: record ${n} was deleted (204) but reads ${stored.status}`);
        if (deleted === 0 && stored.body.version !== version + written)
          throw new Error(`${said}: record ${n} is at version ${stored.body.version}, after ${written} writes from ${version}`);
        if (mine.filter(({ w, a }) => w.kind === 'versioned update' && a.status === 200).length > 1)
          throw new Error(`${said}: two writes with version ${version} won on record ${n}`);
        const events = await db.system<{ op: string; n: number }>(
          sql`SELECT op, count(*)::int AS n FROM core_events WHERE tenant_id = ${admin.tenant.id}::uuid AND record_id = ${id}::uuid GROUP BY op`,
        );
        const count = Object.fromEntries(events.map((e) => [e.op, e.n]));
        const expected = { created: 1, ...(written ? { updated: written } : {}), ...(deleted ? { deleted } : {}) };
        if (JSON.stringify(Object.entries(count).sort()) !== JSON.stringify(Object.entries(expected).sort()))
          throw new Error(`${said}: record ${n} has events ${JSON.stringify(count)}, its writes make ${JSON.stringify(expected)}`);
      }
    }),
    fuzzParameters(80),
  );
  t.ok(
    (outcomes['update 200'] ?? 0) > 40 && (outcomes['versioned update 409'] ?? 0) > 10,
    `writes raced and won: ${JSON.stringify(outcomes)}`,
  );
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});
