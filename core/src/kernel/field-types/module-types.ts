import type { FieldType, ValueKind } from './field-type.ts';
import { boolean } from './boolean.ts';
import { date, datetime } from './date.ts';
import { integer } from './integer.ts';
import { money } from './money.ts';
import { number } from './number.ts';
import { string } from './text.ts';

/** The kinds of value a module's field type may build on, and the core type each behaves as. */
const BASES = { text: string, integer, number, decimal: money, boolean, date, datetime } satisfies Partial<Record<ValueKind, FieldType>>;

/**
 * A field type a module adds (`fieldTypes` of defineModule): a name on one of the core's kinds of value,
 * which stores, validates, filters, sorts, sums and describes it; the module chooses the declaration
 * defaults and how the shell shows it.
 */
export interface FieldTypeDefinition {
  /** The `type` manifests write: in the module that registers it and in those that depend on it. */
  name: string;
  /** What a value is: stored, validated, filtered, sorted and summed as this kind. */
  base: keyof typeof BASES;
  /** What every field of the type declares unless it says otherwise, e.g. { min: 0, max: 100 }. */
  defaults?: { min?: number; max?: number; maxLength?: number };
  /** `groups?by=` may group by it (default: as its base). */
  groupable?: boolean;
  /** The shell's widget (default: its base's) and a unit it shows after a value ("%"). */
  widget?: string;
  suffix?: string;
}

export const fieldTypeBases = (): string[] => Object.keys(BASES);

/** The FieldType a module's definition makes, or what is wrong with it ("base: …"). */
export function moduleFieldType(definition: FieldTypeDefinition, module: string): FieldType | string {
  if (typeof definition?.name !== 'string' || !/^[a-z][a-z0-9_]{0,40}$/.test(definition.name)) return `name: "${String(definition?.name)}" is not a type name (lower-case letters, digits, _)`;
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
  };
}
