import { AtriumError } from '../kernel/errors.ts';
import type { ModelDef, ViewDef } from '../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../kernel/registry/tenant-registry.ts';
import type { AppAbility } from './rbac/abilities.ts';
import { abilityCondition } from './rbac/ability-to-sql.ts';
import { permittedFields } from './rbac/field-mask.ts';

/**
 * A view of the tenant whose model the user may read, with the fields they may read: what a favourite or a
 * view setting may be kept for. Any other name is a 400 naming `field`, as /api/meta would not list it.
 */
export function readableView(
  schema: TenantSchema,
  ability: AppAbility,
  id: string,
  field = 'view',
): { view: ViewDef; model: ModelDef; readable: Set<string> } {
  const view = schema.views.get(id);
  const model = view && schema.model(view.model);
  if (!view || !model || abilityCondition(ability, 'read', model) === null)
    throw AtriumError.invalidField(field, 'view', `unknown view "${id}"`);
  return { view, model, readable: permittedFields(ability, 'read', model) };
}
