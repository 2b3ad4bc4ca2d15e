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
import { moduleFieldType } from './module-types.ts';
import type { FieldTypeDefinition } from './field-type-definition.ts';

/** The types a manifest may declare, by name. */
const declarable = new Map<string, FieldType>(
  [string, text, integer, number, money, boolean, date, datetime, selection, many2one, one2many, many2many, email, phone, url, json].map(
    (t) => [t.name, t],
  ),
);

/** The types of the columns the core adds to every model (system-fields.ts). */
const system: Record<string, FieldType> = { uuid, integer, timestamp };

/** The core's types, by name (those a module registers are added at start-up). */
const core = new Set(declarable.keys());

/** The names a manifest's `type` may take: the core's, and those of `modules` (all registered ones by default). */
export const fieldTypeNames = (modules?: ReadonlySet<string>): string[] =>
  [...declarable.values()].filter((t) => !t.module || !modules || modules.has(t.module)).map((t) => t.name);

/**
 * Adds a module's field type (load-modules.ts, from its defineModule). A module loaded again (another
 * app in the same process) replaces its own; a name the core or another module holds is a problem.
 */
export function registerFieldType(definition: FieldTypeDefinition, module: string): string | undefined {
  const type = moduleFieldType(definition, module);
  if (typeof type === 'string') return type;
  const holder = declarable.get(type.name);
  if (core.has(type.name) || (holder && holder.module !== module))
    return `name: "${type.name}" is already a field type of ${holder?.module ?? 'the core'}`;
  declarable.set(type.name, type);
  return undefined;
}

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
