import type { FieldType } from './field-type.ts';
import type { FieldTypeBase, FieldTypeDefinition } from './field-type-definition.ts';
import { boolean } from './boolean.ts';
import { date, datetime } from './date.ts';
import { integer } from './integer.ts';
import { money } from './money.ts';
import { number } from './number.ts';
import { string } from './text.ts';

/** The kinds of value a module's field type may build on, and the core type each behaves as. */
const BASES: Record<FieldTypeBase, FieldType> = { text: string, integer, number, decimal: money, boolean, date, datetime };

export const fieldTypeBases = (): string[] => Object.keys(BASES);

/** The FieldType a module's definition makes, or what is wrong with it ("base: …"). */
export function moduleFieldType(definition: FieldTypeDefinition, module: string): FieldType | string {
  if (typeof definition?.name !== 'string' || !/^[a-z][a-z0-9_]{0,40}$/.test(definition.name))
    return `name: "${String(definition?.name)}" is not a type name (lower-case letters, digits, _)`;
  const base = Object.hasOwn(BASES, definition.base) ? BASES[definition.base] : undefined;
  if (!base) return `base: "${String(definition.base)}" is not one of ${fieldTypeBases().join(', ')}`;
  return {
    ...base,
    name: definition.name,
    groupable: definition.groupable ?? base.groupable,
    widget: definition.widget ?? base.widget,
    ...(definition.suffix ? { suffix: definition.suffix } : {}),
    ...(definition.defaults ? { defaults: { ...definition.defaults } } : {}),
    module,
    base: base.name,
  };
}
