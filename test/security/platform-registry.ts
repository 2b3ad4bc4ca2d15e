import { fileURLToPath } from 'node:url';
import platform from '../../platform.config.ts';
import type { PlatformConfigInput } from '@atrium/core/platform';
import {
  type FieldDef,
  type ModelDef,
  type Registry,
  type SignedIn,
  typeOf,
  SYSTEM_FIELDS,
  startTestApp,
  type TestApp,
} from '@atrium/core/testing';
import { call } from '../../core/test/helpers.ts';

/**
 * What the sweeps attack, read from the registry of the modules that ship (platform.config.ts): a module
 * added there is swept without anyone writing a test for it.
 */
export const startPlatformApp = (
  options: Pick<PlatformConfigInput, 'operator' | 'billing'> & { freshSchema?: boolean } = {},
): Promise<TestApp> =>
  startTestApp({ modules: platform.modules, modulesDir: fileURLToPath(new URL('../../modules', import.meta.url)), ...options });

/** Columns a body may never name: the core sets them. */
export const SERVER_SET_FIELDS = ['tenant_id', ...Object.keys(SYSTEM_FIELDS)];

/** Every model of every shipped module, plus the core models the record API exposes (core.user). */
export const sweptModels = (registry: Registry): ModelDef[] => [...registry.models.values()];

export const fieldsOf = (model: ModelDef): FieldDef[] => Object.values(model.fields);

/** A client writes these on create (one2many: its lines, written with the parent). */
export const writable = (field: FieldDef): boolean => !field.readonly;

export const filterable = (field: FieldDef): boolean => field.type !== 'one2many' && field.type !== 'json';
export const sortable = (field: FieldDef): boolean => filterable(field) && field.type !== 'many2many';
export const groupable = (field: FieldDef): boolean => typeOf(field).groupable;
export const summable = (field: FieldDef): boolean => typeOf(field).summable;
export const isRelation = (field: FieldDef): boolean => field.type === 'many2one' || field.type === 'many2many';

/** Models in an order where a many2one's target comes before the model (cycles and self-references are cut). */
export function creationOrder(models: ModelDef[]): ModelDef[] {
  const byId = new Map(models.map((m) => [m.id, m]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ModelDef[] = [];
  const visit = (model: ModelDef): void => {
    if (done.has(model.id) || visiting.has(model.id)) return;
    visiting.add(model.id);
    for (const field of fieldsOf(model)) {
      const target = field.type === 'many2one' || field.type === 'many2many' ? byId.get(field.target!) : undefined;
      if (target && target !== model) visit(target);
    }
    visiting.delete(model.id);
    done.add(model.id);
    out.push(model);
  };
  models.forEach(visit);
  return out;
}

/**
 * Custom fields every seeded tenant defines (the same in each), so the sweeps attack per-tenant fields as
 * they attack declared ones: a text on the first module models (its values carry the tenant's tag, so a leak
 * is seen), and one of each other kind of stored value on the first model.
 */
export async function defineSweptCustomFields(admin: SignedIn, registry: Registry): Promise<void> {
  const models = sweptModels(registry).filter((m) => !m.system);
  const definitions = [
    // A few models, not all: each definition builds an index, and the sweeps already take minutes.
    ...models.slice(0, 3).map((m) => ({ model: m.id, name: 'x_sweep_note', type: 'string', label: 'Sweep note' })),
    { model: models[0].id, name: 'x_sweep_count', type: 'integer', label: 'Sweep count', default: 3 },
    { model: models[0].id, name: 'x_sweep_amount', type: 'money', label: 'Sweep amount' },
    { model: models[0].id, name: 'x_sweep_day', type: 'date', label: 'Sweep day' },
    { model: models[0].id, name: 'x_sweep_flag', type: 'boolean', label: 'Sweep flag' },
    { model: models[0].id, name: 'x_sweep_data', type: 'json', label: 'Sweep data' },
    {
      model: models[0].id,
      name: 'x_sweep_level',
      type: 'selection',
      label: 'Sweep level',
      options: [
        { value: 'low', label: 'Low' },
        { value: 'high', label: 'High' },
      ],
    },
    { model: models[0].id, name: 'x_sweep_user', type: 'many2one', label: 'Sweep user', model_ref: 'core.user' },
  ];
  for (const definition of definitions) {
    const answer = await call(admin, 'POST', '/api/admin/custom-fields', definition);
    if (answer.status !== 201)
      throw new Error(`custom field ${definition.model}.${definition.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
