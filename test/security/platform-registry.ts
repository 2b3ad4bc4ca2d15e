import { fileURLToPath } from 'node:url';
import platform from '../../platform.config.ts';
import type { PlatformConfigInput } from '@atrium/core/platform';
import { type FieldDef, type ModelDef, type Registry, typeOf, SYSTEM_FIELDS, startTestApp, type TestApp } from '@atrium/core/testing';

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
