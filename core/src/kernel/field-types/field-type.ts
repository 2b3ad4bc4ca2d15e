import type { ValueKind } from '@atrium/protocol';
import type { FieldManifest } from '../manifest/manifest-types.ts';
import type { FieldDef } from '../registry/registry-types.ts';

export type JsonSchema = Record<string, unknown>;

/**
 * What a value is, whatever its type is called (@atrium/protocol): the SQL side (engine/field-types), the
 * shell (through /api/meta), the filter matcher and record order, and a type a module registers build on it.
 */
export type { ValueKind };

/** The problem with a value, as a FieldProblem's rule and message. */
export interface ValueProblem {
  rule: string;
  message: string;
}

/** What parsing a filter operand gives: the value (normalised) or why it is refused. */
export type Parsed = { value: unknown } | { problem: ValueProblem };

/** The comparisons of the filter language a type takes (equality, $in, $nin, $ne and $null always). */
export interface FilterSupport {
  /** $gt $gte $lt $lte */
  ordered: boolean;
  /** $ilike */
  textual: boolean;
  /** Only these operators besides $null (a many2many is compared by membership). */
  readonly operators?: readonly string[];
  /** The operand checked and normalised for this type. */
  parse(operand: unknown): Parsed;
}

/** Where the API's TypeScript shape of a one2many line comes from (model-declarations.ts). */
export type LineType = (part: 'record' | 'values') => string;

/**
 * Everything a field type means, in one place: how a value is validated, stored, filtered, sorted,
 * grouped, summed, described (OpenAPI, /api/meta, TypeScript) and shown (the shell's widget). One
 * definition per type in this folder; the SQL a kind needs beyond a plain column is in engine/field-types.
 */
export interface FieldType {
  readonly name: string;
  readonly kind: ValueKind;
  /** The PostgreSQL column type; none when the value lives in other rows (links, lines). */
  readonly column?: string;
  /** The type a bound value is cast to in SQL (writes and filters); none: it is sent as text. */
  readonly cast?: string;
  /** The JSON Schema of a value a write may send (with null when the field is not required). */
  body(field: FieldDef, lines: () => JsonSchema): JsonSchema;
  /** The OpenAPI schema of the value as read (what a write takes is `body`, which the validator compiles: http/openapi-write.ts). */
  openapi(field: FieldDef, ref: (name: string) => JsonSchema): JsonSchema;
  /** The TypeScript type of the value as the API returns it (`record`) or a write takes it (`values`). */
  typescript(field: FieldManifest, part: 'record' | 'values', line: LineType): string;
  /** The filter language on this type; none: it cannot be filtered on. */
  readonly filter?: FilterSupport;
  readonly sortable: boolean;
  /** `groups?by=` may group by it. */
  readonly groupable: boolean;
  /** A view may make kanban columns of it (`group_by`). */
  readonly columns: boolean;
  /** `groups?sum=` and a view's `sum` may total it. */
  readonly summable: boolean;
  /** It can be a model's display (the text shown wherever a record is referred to). */
  readonly displayable: boolean;
  /** A group's label for its key (default: the related record's display, else the key as text). */
  groupLabel?(field: FieldDef, key: unknown): string | null;
  /** The value as it is stored, from a value the body schema accepted; a problem refuses it (400). */
  normalize?(value: unknown, context: ValueContext): { value: unknown } | { problem: ValueProblem };
  /** A default the manifest declares, as it is stored (money in the tenant's decimals). */
  fromDefault?(declared: unknown, context: ValueContext): unknown;
  /** The value written when a create leaves the field out and it declares no default. */
  readonly implicitDefault?: unknown;
  /** The value bound in SQL (before its cast). */
  toSql?(value: unknown): unknown;
  /** Problems of a declaration a JSON Schema cannot see (a selection's default among its options). */
  declarationProblems?(field: FieldDef): [path: string, message: string][];
  /** How the shell shows and edits it unless a view names another widget. */
  readonly widget: string;
  /** A unit the shell shows after a value ("%"). */
  readonly suffix?: string;
  /** What every field of the type declares unless it says otherwise (a percent's min 0 and max 100). */
  readonly defaults?: Readonly<Partial<Pick<FieldDef, 'min' | 'max' | 'maxLength'>>>;
  /** The module that registered it (none: the core's), and the core type it is built on. */
  readonly module?: string;
  readonly base?: string;
}

/** What normalising a value may depend on: the tenant's currency. */
export interface ValueContext {
  precision: number;
}

/** A nullable schema unless the field is required. */
export const nullable = (field: FieldDef, schema: JsonSchema): JsonSchema =>
  field.required ? schema : { anyOf: [schema, { type: 'null' }] };

/** The OpenAPI base of a field's value: its description and whether it may be null. */
export const described = (field: FieldDef): JsonSchema => ({ description: field.help ?? field.label, nullable: !field.required });

/** Operand checks shared by types: a text of at most 1000 characters, without NUL. */
export function parseText(operand: unknown): Parsed {
  if (typeof operand !== 'string' || operand.length > 1000) return refused('must be a string of at most 1000 characters');
  if (operand.includes('\u0000')) return { problem: { rule: 'nul', message: 'cannot contain NUL characters' } };
  return { value: operand };
}

/** An operand of the wrong type. */
export const refused = (message: string): Parsed => ({ problem: { rule: 'type', message } });

type Defaults = 'sortable' | 'groupable' | 'columns' | 'summable' | 'displayable' | 'typescript';

/** A field type from what sets it apart: sortable and displayable, not grouped or summed, a string in TypeScript. */
export const defineFieldType = (type: Omit<FieldType, Defaults> & Partial<Pick<FieldType, Defaults>>): FieldType => ({
  sortable: true,
  groupable: false,
  columns: false,
  summable: false,
  displayable: true,
  typescript: () => 'string',
  ...type,
});
