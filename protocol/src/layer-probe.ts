import { SYSTEM_FIELDS } from '../../core/src/kernel/system-fields.ts';
export const probe = SYSTEM_FIELDS;
