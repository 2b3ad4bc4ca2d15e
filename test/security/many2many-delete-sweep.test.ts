import t from 'tap';
import { ident, sql } from '@atrium/core/testing';
import { call } from '../../core/test/helpers.ts';
import { createValid, seedTenant } from './seed-tenant.ts';
import { fieldsOf, startPlatformApp, sweptModels } from './platform-registry.ts';

/*
 * Deleting a record that a many2many holds, for every many2many of every shipped module (read from the
 * registry): the field's ondelete decides, and nothing else happens. "restrict" refuses (409) and leaves
 * the record, the link and the holder as they were; "remove" takes the record out of the holder through
 * the write path (a new version and an event). Another tenant can neither delete it nor see any change.
 */
const app = await startPlatformApp();
t.teardown(() => app.close());
const { db, registry } = app.app.platform;
const A = await seedTenant(app, await app.signup('Tenant A'), 'alpha', 1);
const B = await seedTenant(app, await app.signup('Tenant B'), 'bravo', 1);
const a = A.admin.tenant.id;

const holders = sweptModels(registry).flatMap((model) =>
  fieldsOf(model)
    .filter((f) => f.type === 'many2many')
    .map((field) => ({ model, field })),
);

/** What a tenant's records are, in the database: every row's version and every link. */
async function state(tenantId: string): Promise<string[]> {
  const out: string[] = [];
  for (const model of sweptModels(registry).filter((m) => !m.system)) {
    const rows = await db.system<{ id: string; version: number }>(
      sql`SELECT id, version FROM ${ident(model.table)} WHERE tenant_id = ${tenantId}::uuid ORDER BY id`,
    );
    out.push(...rows.map((r) => `${model.id} ${r.id} v${r.version}`));
  }
  for (const { field } of holders) {
    const links = await db.system<{ s: string; t: string }>(
      sql`SELECT source_id AS s, target_id AS t FROM ${ident(field.relTable!)} WHERE tenant_id = ${tenantId}::uuid ORDER BY 1, 2`,
    );
    out.push(...links.map((l) => `${field.relTable} ${l.s} ${l.t}`));
  }
  return out;
}

const version = async (table: string, id: string): Promise<number> =>
  (await db.system<{ version: number }>(sql`SELECT version FROM ${ident(table)} WHERE id = ${id}::uuid`))[0].version;
const linked = async (relTable: string, source: string, target: string): Promise<boolean> =>
  (await db.system(sql`SELECT 1 FROM ${ident(relTable)} WHERE source_id = ${source}::uuid AND target_id = ${target}::uuid`)).length === 1;
const events = (id: string) =>
  db.system<{ op: string; changes: Record<string, unknown> }>(
    sql`SELECT op, changes FROM core_events WHERE record_id = ${id}::uuid ORDER BY seq`,
  );

const tenantB = await state(B.admin.tenant.id);

t.test('the registry has many2many fields of both kinds to sweep', async (t) => {
  t.ok(
    holders.some((h) => h.field.ondelete === 'restrict'),
    'restrict',
  );
  t.ok(
    holders.some((h) => h.field.ondelete === 'remove'),
    'remove',
  );
});

for (const { model, field } of holders) {
  t.test(`${model.id}.${field.name} (ondelete ${field.ondelete}): deleting a record it holds`, async (t) => {
    const target = registry.model(field.target!)!;
    // A record of the target model held by one holder only, so that this field alone decides.
    const created = await createValid(A.admin, target, A.factory.create(target));
    t.equal(created.status, 201, `a ${target.id} to hold`);
    const held = created.body.id as string;
    const [holder] = await db.system<{ id: string }>(
      sql`SELECT id FROM ${ident(model.table)} WHERE tenant_id = ${a}::uuid ORDER BY created_at LIMIT 1`,
    );
    t.ok(holder, `tenant A has a ${model.id}`);
    // Linked as a holder may be (a line linked with its quotation's write, a record held since long ago).
    await db.system(
      sql`INSERT INTO ${ident(field.relTable!)} (tenant_id, source_id, target_id) VALUES (${a}::uuid, ${holder.id}::uuid, ${held}::uuid)`,
    );
    const before = { version: await version(model.table, holder.id), events: (await events(holder.id)).length };

    t.equal((await call(B.admin, 'DELETE', `/api/records/${target.id}/${held}`)).status, 404, 'another tenant cannot delete it');
    t.ok(await linked(field.relTable!, holder.id, held), 'nor unlink it');

    const answer = await call(A.admin, 'DELETE', `/api/records/${target.id}/${held}`);
    const after = { version: await version(model.table, holder.id), events: await events(holder.id) };
    if (field.ondelete === 'restrict') {
      t.equal(answer.status, 409, 'refused');
      t.match(answer.body.error.message, /still referenced/);
      t.equal((await call(A.admin, 'GET', `/api/records/${target.id}/${held}`)).status, 200, 'the record stays');
      t.ok(await linked(field.relTable!, holder.id, held), 'so does the link');
      t.same({ version: after.version, events: after.events.length }, before, 'the holder is untouched: same version, no event');
    } else {
      t.equal(answer.status, 204, 'deleted');
      t.notOk(await linked(field.relTable!, holder.id, held), 'the link is gone');
      t.equal(after.version, before.version + 1, 'the holder has a new version');
      t.equal(after.events.length, before.events + 1, 'and one event');
      t.match(after.events.at(-1), { op: 'updated', changes: { [field.name]: Array } });
      t.notOk(
        (after.events.at(-1)!.changes[field.name] as { id: string }[]).some((l) => l.id === held),
        'which no longer holds it',
      );
    }
  });
}

t.test('tenant B saw no change', async (t) => {
  t.same(await state(B.admin.tenant.id), tenantB);
});
