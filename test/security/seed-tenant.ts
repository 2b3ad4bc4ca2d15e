import type { ModelDef, SignedIn, TestApp } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { call, type Answer } from '../../core/test/helpers.ts';
import { creationOrder, defineSweptCustomFields } from './platform-registry.ts';
import { BodyFactory } from './valid-bodies.ts';

/** A tenant filled through the API: every model's records, as its admin reads them. */
export interface SeededTenant {
  admin: SignedIn;
  tag: string;
  factory: BodyFactory;
  /** Every model as this tenant has it: the registry's, with the custom fields the sweeps define in each tenant. */
  models: ModelDef[];
  /** Every record of the tenant per model (module data and seeded ones), as listed (one2many lines not included). */
  records: Map<string, RecordData[]>;
  /** Models whose records are created on their own (not only as lines of a parent). */
  creatable: Set<string>;
  ids(modelId: string): string[];
  /** Every string-ish value the tenant's records hold, for "never seen elsewhere" checks. */
  values(): string[];
}

/** Runs requests a few at a time: enough to overlap, not enough to swamp two cores. */
export async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>, size = 8): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

/**
 * Creates through the API; a business rule of a module refusing some optional value (a hook's 400 naming
 * the field) drops that field and tries again, so any module's hooks are satisfied without knowing them;
 * fields in `keep` are never dropped (the ones under test).
 */
export async function createValid(who: SignedIn, model: ModelDef, body: RecordData, keep: string[] = []): Promise<Answer> {
  const attempt = { ...body };
  for (;;) {
    const answer = await call(who, 'POST', `/api/records/${model.id}`, attempt);
    if (answer.status !== 400) return answer;
    const named = (answer.body.error.details as { field: string }[]).map((d) => d.field.split('.')[0]);
    const droppable = named.filter((f) => Object.hasOwn(attempt, f) && !model.fields[f]?.required && !keep.includes(f));
    if (droppable.length === 0) return answer;
    for (const f of droppable) delete attempt[f];
  }
}

async function listAll(who: SignedIn, model: ModelDef): Promise<RecordData[]> {
  const answer = await call(who, 'GET', `/api/records/${model.id}?limit=500`);
  if (answer.status !== 200) throw new Error(`listing ${model.id}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

/**
 * `perModel` records of every model the admin may create, in an order where relations have targets
 * (models written only through a parent, as lines are, get theirs from the parent's lines).
 */
export async function seedTenant(app: TestApp, admin: SignedIn, tag: string, perModel = 2): Promise<SeededTenant> {
  const { registry, sessions } = app.app.platform;
  await defineSweptCustomFields(admin, registry);
  const models = [...(await sessions.resolve(admin.tenant.id, admin.user.id, Date.now())).schema.models.values()];
  const records = new Map<string, RecordData[]>();
  const ids = (modelId: string): string[] => (records.get(modelId) ?? []).map((r) => String(r.id));
  const factory = new BodyFactory(registry, tag, ids);
  const creatable = new Set<string>();
  await inBatches(models, async (model) => records.set(model.id, await listAll(admin, model)));
  for (const model of creationOrder(models.filter((m) => !m.system))) {
    for (let i = 0; i < perModel; i++) {
      const created = await createValid(admin, model, factory.create(model));
      if (created.status === 403) break; // written through its parent only
      if (created.status !== 201) throw new Error(`seeding ${model.id}: ${created.status} ${JSON.stringify(created.body)}`);
      records.get(model.id)!.push(created.body);
      creatable.add(model.id);
    }
  }
  await inBatches(models, async (model) => records.set(model.id, await listAll(admin, model)));
  const values = (): string[] =>
    [...records.values()]
      .flat()
      .flatMap((r) => Object.values(r))
      .filter((v): v is string => typeof v === 'string' && v.includes(tag));
  return { admin, tag, factory, models, records, creatable, ids, values };
}
