import { type FieldDef, typeOf } from '@atrium/core/testing';

/** The core type a field behaves as: its own, or the one a module's type is built on (crm's percent: number). */
export const coreType = (field: FieldDef): string => typeOf(field).base ?? field.type;
