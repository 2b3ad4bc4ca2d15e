/**
 * A filter of the records API's language (docs/api.md), also a record rule in a manifest: equality,
 * $eq $ne $gt $gte $lt $lte $in $nin $ilike $null, and $and / $or / $not.
 */
export type Filter = Record<string, unknown>;

export type Operator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'ilike' | 'null';

/** A value in a record rule that is replaced when the ability is built. */
export interface Variable {
  variable: 'user' | 'tenant';
}

/** A filter as a tree: what the core's checking parser and the shell's reading both give. */
export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: string; op: Operator; value: unknown };
