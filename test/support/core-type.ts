import type { FieldDef } from '../../core/src/kernel/registry/registry-types.ts';
import { typeOf } from '../../core/src/kernel/field-types/registry.ts';

/** The core type a field behaves as: its own, or the one a module's type is built on (crm's percent: number). */
export const coreType = (field: FieldDef): string => typeOf(field).base ?? field.type;
