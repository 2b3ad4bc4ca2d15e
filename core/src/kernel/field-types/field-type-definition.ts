/** The kinds of value a module's field type may build on (module-types.ts maps each to the core type it behaves as). */
export type FieldTypeBase = 'text' | 'integer' | 'number' | 'decimal' | 'boolean' | 'date' | 'datetime';

/**
 * A field type a module adds (`fieldTypes` of defineModule): a name on one of the core's kinds of value,
 * which stores, validates, filters, sorts, sums and describes it; the module chooses the declaration
 * defaults and how the shell shows it.
 */
export interface FieldTypeDefinition {
  /** The `type` manifests write: in the module that registers it and in those that depend on it. */
  name: string;
  /** What a value is: stored, validated, filtered, sorted and summed as this kind. */
  base: FieldTypeBase;
  /** What every field of the type declares unless it says otherwise, e.g. { min: 0, max: 100 }. */
  defaults?: { min?: number; max?: number; maxLength?: number };
  /** `groups?by=` may group by it (default: as its base). */
  groupable?: boolean;
  /** The shell's widget (default: its base's) and a unit it shows after a value ("%"). */
  widget?: string;
  suffix?: string;
}
