import type { FieldMeta } from '@atrium/protocol';

/** A selection whose manifest names the widget "priority" (options "0", "1", …) is shown as stars (Odoo's convention). */
export function isPriority(field: FieldMeta): boolean {
  return field.kind === 'selection' && field.widget === 'priority' && (field.options ?? []).every((o, i) => o.value === String(i));
}

/** A many2one to the tenant's users shows the person's initials. */
export const isUserRef = (field: FieldMeta): boolean => field.kind === 'reference' && field.model === 'core.user';

/** A read-only selection whose manifest names the widget "statusbar" is a record's workflow (draft, sent, …). */
export const isWorkflowState = (field: FieldMeta): boolean =>
  field.kind === 'selection' && field.widget === 'statusbar' && field.computed === true;
