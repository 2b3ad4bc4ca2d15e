import { AtriumError, type FieldProblem } from '../errors.ts';
import type { FieldDef, ModelDef } from '../registry/registry-types.ts';
import { SYSTEM_FIELDS, type SystemFieldType } from '../system-fields.ts';
import { plainText } from '../money.ts';

/**
 * The filter language of docs/api.md, also used for record rules in manifests: equality, $eq $ne $gt $gte $lt
 * $lte $in $nin $ilike $null, and $and / $or / $not. Parsing checks every field, operator and value against
 * the model, so nothing unchecked ever reaches SQL.
 */
export type Operator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'ilike' | 'null';

/** A value in a record rule that is replaced when the ability is built. */
export interface Variable {
  variable: 'user' | 'tenant';
}

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: string; op: Operator; value: unknown };

export const MAX_DEPTH = 8;
const MAX_NODES = 200;
const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$ilike', '$null']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;

/** A YYYY-MM-DD that exists in the calendar, in PostgreSQL's range (JavaScript rolls 2020-02-30 over to March). */
export const isCalendarDate = (text: string): boolean => {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && text >= '0001' && new Date(time).toISOString().slice(0, 10) === text;
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** An ISO 8601 date and time on a calendar day (JavaScript alone reads "1" as 2001, which PostgreSQL refuses). */
const isDateTime = (text: string): boolean => DATE_TIME.test(text) && isCalendarDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text));

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export interface ParseOptions {
  /** Where the filter came from, for error messages ("filter", "permissions/user/shop.order/update"). */
  source: string;
  /** Allow "$user" / "$tenant" (record rules only). */
  variables?: boolean;
  /** May the caller filter on this field? (Fields the user may not read are refused.) */
  fieldAllowed?: (field: string) => boolean;
}

type ValueKind = SystemFieldType | FieldDef['type'];

function kindOf(model: ModelDef, field: string): ValueKind | undefined {
  if (Object.hasOwn(SYSTEM_FIELDS, field)) return SYSTEM_FIELDS[field];
  return Object.hasOwn(model.fields, field) ? model.fields[field].type : undefined;
}

const ORDERED = new Set<ValueKind>(['integer', 'number', 'money', 'date', 'datetime', 'string', 'text', 'email', 'phone', 'url', 'selection', 'uuid']);
const TEXTUAL = new Set<ValueKind>(['string', 'text', 'email', 'phone', 'url', 'selection']);
const NOT_FILTERABLE = new Set<ValueKind>(['one2many', 'json']);

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
    const kind = kindOf(this.model, key);
    if (!kind) return this.problem(key, 'field', `unknown field "${key}"`);
    if (NOT_FILTERABLE.has(kind)) return this.problem(key, 'field', `cannot filter on a ${kind} field`);
    if (!Object.hasOwn(SYSTEM_FIELDS, key) && this.options.fieldAllowed && !this.options.fieldAllowed(key)) return this.problem(key, 'field', `unknown field "${key}"`);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const ops = Object.entries(value as Record<string, unknown>);
      if (ops.length === 0) return this.problem(key, 'operator', 'has no operator');
      const items = ops.map(([op, operand]) => this.compare(key, kind, op, operand)).filter((c): c is Condition => c !== undefined);
      return items.length === 1 ? items[0] : { kind: 'and', items };
    }
    return value === null ? this.compare(key, kind, '$null', true) : this.compare(key, kind, '$eq', value);
  }

  private compare(field: string, kind: ValueKind, opKey: string, operand: unknown): Condition | undefined {
    if (!OPERATORS.has(opKey)) return this.problem(field, 'operator', `unknown operator "${opKey}"`);
    const op = opKey.slice(1) as Operator;
    if (op === 'null') {
      if (typeof operand !== 'boolean') return this.problem(field, 'type', '$null takes true or false');
      return { kind: 'compare', field, op, value: operand };
    }
    if (kind === 'many2many' && !['eq', 'in', 'nin', 'ne'].includes(op)) return this.problem(field, 'operator', `$${op} does not apply to a many2many field`);
    if ((op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') && !ORDERED.has(kind)) return this.problem(field, 'operator', `$${op} does not apply to a ${kind} field`);
    if (op === 'ilike' && !TEXTUAL.has(kind)) return this.problem(field, 'operator', `$ilike applies only to text fields`);
    if (op === 'in' || op === 'nin') {
      if (!Array.isArray(operand) || operand.length > 500) return this.problem(field, 'type', `$${op} takes a list of at most 500 values`);
      const values = operand.map((v) => this.value(field, kind, v));
      return values.includes(undefined) ? undefined : { kind: 'compare', field, op, value: values };
    }
    const value = op === 'ilike' ? this.pattern(field, operand) : this.value(field, kind, operand);
    return value === undefined ? undefined : { kind: 'compare', field, op, value };
  }

  /** A LIKE pattern: a backslash makes the next character literal, so one cannot end it (the database would fail). */
  private pattern(field: string, operand: unknown): string | undefined {
    const text = this.text(field, operand);
    if (text !== undefined && /(^|[^\\])(\\\\)*\\$/.test(text)) return this.problem(field, 'pattern', 'cannot end with a lone backslash: it escapes the next character');
    return text;
  }

  private text(field: string, operand: unknown): string | undefined {
    if (typeof operand !== 'string' || operand.length > 1000) return this.problem(field, 'type', 'must be a string of at most 1000 characters');
    if (operand.includes('\u0000')) return this.problem(field, 'nul', 'cannot contain NUL characters');
    return operand;
  }

  /** The operand checked (and normalised) for the field's type. */
  private value(field: string, kind: ValueKind, operand: unknown): unknown {
    if (operand === '$user' || operand === '$tenant') {
      if (!this.options.variables) return this.problem(field, 'type', `${operand} is only allowed in record rules`);
      return { variable: operand === '$user' ? 'user' : 'tenant' } satisfies Variable;
    }
    switch (kind) {
      case 'uuid':
      case 'many2one':
      case 'many2many':
        return isUuid(operand) ? operand.toLowerCase() : this.problem(field, 'type', 'must be a record id (UUID)');
      case 'integer':
        return Number.isInteger(operand) && (operand as number) >= INT4_MIN && (operand as number) <= INT4_MAX ? operand : this.problem(field, 'type', `must be an integer from ${INT4_MIN} to ${INT4_MAX}`);
      case 'number':
        return typeof operand === 'number' && Number.isFinite(operand) ? operand : this.problem(field, 'type', 'must be a number');
      case 'money': {
        // A number is written out in full (1e21 as digits): the same bounds as an amount sent as text.
        const text = typeof operand === 'number' && Number.isFinite(operand) ? plainText(operand) : operand;
        return typeof text === 'string' && DECIMAL.test(text) ? text : this.problem(field, 'type', 'must be an amount (at most 15 digits before the point, 6 after)');
      }
      case 'boolean':
        return typeof operand === 'boolean' ? operand : this.problem(field, 'type', 'must be true or false');
      case 'date':
        return typeof operand === 'string' && DATE.test(operand) && isCalendarDate(operand) ? operand : this.problem(field, 'type', 'must be a date (YYYY-MM-DD)');
      case 'datetime':
      case 'timestamp':
        return typeof operand === 'string' && isDateTime(operand) ? operand : this.problem(field, 'type', 'must be a date and time (ISO 8601)');
      default:
        return this.text(field, operand);
    }
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
