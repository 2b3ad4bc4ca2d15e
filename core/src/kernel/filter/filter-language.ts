import type { Condition, Operator, Variable } from '@atrium/protocol';
import { AtriumError, type FieldProblem } from '../errors.ts';
import type { ModelDef } from '../registry/registry-types.ts';
import { SYSTEM_FIELDS } from '../system-fields.ts';
import { parseText, type FieldType } from '../field-types/field-type.ts';
import { typeOfField } from '../field-types/registry.ts';

export { isCalendarDate } from '../field-types/date.ts';
export { isUuid } from '../field-types/relations.ts';

/**
 * The filter language of docs/api.md, also used for record rules in manifests: equality, $eq $ne $gt $gte $lt
 * $lte $in $nin $ilike $null, and $and / $or / $not. Parsing checks every field, operator and value against
 * the model, so nothing unchecked ever reaches SQL. The parsed tree (Condition) is @atrium/protocol's, which
 * matches it in memory.
 */
export type { Condition, Operator, Variable };

export const MAX_DEPTH = 8;
const MAX_NODES = 200;
const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$ilike', '$null']);

export interface ParseOptions {
  /** Where the filter came from, for error messages ("filter", "permissions/user/shop.order/update"). */
  source: string;
  /** Allow "$user" / "$tenant" (record rules only). */
  variables?: boolean;
  /** May the caller filter on this field? (Fields the user may not read are refused.) */
  fieldAllowed?: (field: string) => boolean;
}

class Parser {
  private nodes = 0;
  readonly problems: FieldProblem[] = [];
  constructor(
    private readonly model: ModelDef,
    private readonly options: ParseOptions,
  ) {}

  private problem(field: string, rule: string, message: string): undefined {
    this.problems.push({ field: `${this.options.source}.${field}`, rule, message });
    return undefined;
  }

  parse(input: unknown, depth: number): Condition | undefined {
    if (++this.nodes > MAX_NODES) return this.problem('$', 'size', `has more than ${MAX_NODES} conditions`);
    if (depth > MAX_DEPTH) return this.problem('$', 'depth', `nests deeper than ${MAX_DEPTH} levels`);
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return this.problem('$', 'type', 'must be an object');
    const items: Condition[] = [];
    for (const [key, value] of Object.entries(input)) {
      const item = this.parseEntry(key, value, depth);
      if (item) items.push(item);
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private parseEntry(key: string, value: unknown, depth: number): Condition | undefined {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) return this.problem(key, 'type', 'must be a non-empty list of conditions');
      const items = value.map((v) => this.parse(v, depth + 1)).filter((c): c is Condition => c !== undefined);
      return { kind: key === '$and' ? 'and' : 'or', items };
    }
    if (key === '$not') {
      const item = this.parse(value, depth + 1);
      return item && { kind: 'not', item };
    }
    if (key.startsWith('$')) return this.problem(key, 'operator', `unknown operator "${key}"`);
    const type = typeOfField(this.model, key);
    if (!type) return this.problem(key, 'field', `unknown field "${key}"`);
    if (!type.filter) return this.problem(key, 'field', `cannot filter on a ${type.name} field`);
    if (!Object.hasOwn(SYSTEM_FIELDS, key) && this.options.fieldAllowed && !this.options.fieldAllowed(key))
      return this.problem(key, 'field', `unknown field "${key}"`);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const ops = Object.entries(value as Record<string, unknown>);
      if (ops.length === 0) return this.problem(key, 'operator', 'has no operator');
      const items = ops.map(([op, operand]) => this.compare(key, type, op, operand)).filter((c): c is Condition => c !== undefined);
      return items.length === 1 ? items[0] : { kind: 'and', items };
    }
    return value === null ? this.compare(key, type, '$null', true) : this.compare(key, type, '$eq', value);
  }

  private compare(field: string, type: FieldType, opKey: string, operand: unknown): Condition | undefined {
    if (!OPERATORS.has(opKey)) return this.problem(field, 'operator', `unknown operator "${opKey}"`);
    const op = opKey.slice(1) as Operator;
    if (op === 'null') {
      if (typeof operand !== 'boolean') return this.problem(field, 'type', '$null takes true or false');
      return { kind: 'compare', field, op, value: operand };
    }
    const filter = type.filter!;
    if (filter.operators && !filter.operators.includes(op))
      return this.problem(field, 'operator', `$${op} does not apply to a ${type.name} field`);
    if ((op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') && !filter.ordered)
      return this.problem(field, 'operator', `$${op} does not apply to a ${type.name} field`);
    if (op === 'ilike' && !filter.textual) return this.problem(field, 'operator', `$ilike applies only to text fields`);
    if (op === 'in' || op === 'nin') {
      if (!Array.isArray(operand) || operand.length > 500) return this.problem(field, 'type', `$${op} takes a list of at most 500 values`);
      const values = operand.map((v) => this.value(field, type, v));
      return values.includes(undefined) ? undefined : { kind: 'compare', field, op, value: values };
    }
    const value = op === 'ilike' ? this.pattern(field, operand) : this.value(field, type, operand);
    return value === undefined ? undefined : { kind: 'compare', field, op, value };
  }

  /** A LIKE pattern: a backslash makes the next character literal, so one cannot end it (the database would fail). */
  private pattern(field: string, operand: unknown): string | undefined {
    const text = this.text(field, operand);
    if (text !== undefined && /(^|[^\\])(\\\\)*\\$/.test(text))
      return this.problem(field, 'pattern', 'cannot end with a lone backslash: it escapes the next character');
    return text;
  }

  private text(field: string, operand: unknown): string | undefined {
    const parsed = parseText(operand);
    return 'problem' in parsed ? this.problem(field, parsed.problem.rule, parsed.problem.message) : (parsed.value as string);
  }

  /** The operand checked (and normalised) for the field's type. */
  private value(field: string, type: FieldType, operand: unknown): unknown {
    if (operand === '$user' || operand === '$tenant') {
      if (!this.options.variables) return this.problem(field, 'type', `${operand} is only allowed in record rules`);
      return { variable: operand === '$user' ? 'user' : 'tenant' } satisfies Variable;
    }
    const parsed = type.filter!.parse(operand);
    return 'problem' in parsed ? this.problem(field, parsed.problem.rule, parsed.problem.message) : parsed.value;
  }
}

/** Parses a filter; returns its problems instead of throwing (manifest checks collect them). */
export function checkFilter(model: ModelDef, input: unknown, options: ParseOptions): { condition?: Condition; problems: FieldProblem[] } {
  const parser = new Parser(model, options);
  const condition = parser.parse(input, 1);
  return { condition: parser.problems.length ? undefined : condition, problems: parser.problems };
}

/** Parses a client's filter: any problem is a 400 naming the field. */
export function parseFilter(model: ModelDef, input: unknown, options: ParseOptions): Condition {
  const { condition, problems } = checkFilter(model, input, options);
  if (problems.length > 0 || !condition) throw AtriumError.validation(problems);
  return condition;
}

/** Replaces $user / $tenant in a parsed record rule. */
export function bindVariables(condition: Condition, values: { user: string; tenant: string }): Condition {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return { kind: condition.kind, items: condition.items.map((c) => bindVariables(c, values)) };
    case 'not':
      return { kind: 'not', item: bindVariables(condition.item, values) };
    case 'compare': {
      const bind = (v: unknown): unknown => (v !== null && typeof v === 'object' && 'variable' in v ? values[(v as Variable).variable] : v);
      return { ...condition, value: Array.isArray(condition.value) ? condition.value.map(bind) : bind(condition.value) };
    }
  }
}
