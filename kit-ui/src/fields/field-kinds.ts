import type { FieldMeta } from '$lib/meta-types';

/** A selection named priority with options "0", "1", … is shown as stars (Odoo's convention). */
export function isPriority(name: string, field: FieldMeta): boolean {
  return field.kind === 'selection' && name === 'priority' && (field.options ?? []).every((o, i) => o.value === String(i));
}

/** A many2one to the tenant's users shows the person's initials. */
export const isUserRef = (field: FieldMeta): boolean => field.kind === 'reference' && field.model === 'core.user';

/** A read-only selection named state is a record's workflow (draft, sent, …), shown as a status bar. */
export const isWorkflowState = (name: string, field: FieldMeta): boolean => field.kind === 'selection' && name === 'state' && field.computed === true;
