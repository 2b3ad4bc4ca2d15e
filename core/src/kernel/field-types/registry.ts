import { SYSTEM_FIELDS } from '../system-fields.ts';
import type { ModelDef } from '../registry/registry-types.ts';
import type { FieldType } from './field-type.ts';
import { boolean } from './boolean.ts';
import { date, datetime, timestamp } from './date.ts';
import { integer } from './integer.ts';
import { json } from './json.ts';
import { money } from './money.ts';
import { number } from './number.ts';
import { many2many, many2one, one2many, uuid } from './relations.ts';
import { selection } from './selection.ts';
import { email, phone, string, text, url } from './text.ts';

/** The types a manifest may declare, by name. */
const declarable = new Map<string, FieldType>(
  [string, text, integer, number, money, boolean, date, datetime, selection, many2one, one2many, many2many, email, phone, url, json].map((t) => [t.name, t]),
);

/** The types of the columns the core adds to every model (system-fields.ts). */
const system: Record<string, FieldType> = { uuid, integer, timestamp };

/** The names a manifest's `type` may take. */
export const fieldTypeNames = (): string[] => [...declarable.keys()];

export const isFieldType = (name: string): boolean => declarable.has(name);

/** The type of a declared field (the registry only holds fields of known types: manifests are checked first). */
export function typeOf(field: { type: string; name?: string }): FieldType {
  const type = declarable.get(field.type);
  if (!type) throw new Error(`unknown field type "${field.type}"${field.name ? ` of field "${field.name}"` : ''}`);
  return type;
}

/** The type of a declared or system field of `model` (undefined: no such field). */
export function typeOfField(model: ModelDef, name: string): FieldType | undefined {
  if (Object.hasOwn(SYSTEM_FIELDS, name)) return system[SYSTEM_FIELDS[name]];
  return Object.hasOwn(model.fields, name) ? typeOf(model.fields[name]) : undefined;
}
