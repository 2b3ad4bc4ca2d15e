import { AtriumError } from '../kernel/errors.ts';
import type { ModelDef, ViewDef } from '../kernel/registry/registry-types.ts';
import type { TenantSchema } from '../kernel/registry/tenant-registry.ts';
import type { Permissions } from './rbac/permissions.ts';
import { permittedFields } from './rbac/field-mask.ts';

/**
 * A view of the tenant whose model the user may read, with the fields they may read: what a favourite or a
 * view setting may be kept for. Any other name is a 400 naming `field`, as /api/meta would not list it.
 */
export function readableView(
  schema: TenantSchema,
  ability: Permissions,
  id: string,
  field = 'view',
): { view: ViewDef; model: ModelDef; readable: Set<string> } {
  const view = schema.views.get(id);
  const model = view && schema.model(view.model);
  if (!view || !model || ability.condition('read', model) === null) throw AtriumError.invalidField(field, 'view', `unknown view "${id}"`);
  return { view, model, readable: permittedFields(ability, 'read', model) };
}
