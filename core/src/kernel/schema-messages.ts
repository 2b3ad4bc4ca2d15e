/**
 * What a JSON Schema rule that failed says to a person: "must be at least 8 characters", never ajv's
 * "must NOT have fewer than 8 characters". Both the record bodies (engine) and the fixed routes' bodies
 * (fastify's validation, http) go through here, so the API and the shell read the same sentences.
 */

/** The part of an ajv error a message needs (ajv's ErrorObject; the kernel does not import ajv). */
export interface SchemaError {
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'empty',
};

const FORMAT_NAMES: Record<string, string> = {
  email: 'email address',
  uuid: 'record id',
  uri: 'web address',
  url: 'web address',
};

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

const RULES: Record<string, (params: Record<string, unknown>) => string> = {
  required: () => 'is required',
  additionalProperties: () => 'is not a known field',
  type: (p) =>
    `must be ${String(p.type)
      .split(',')
      .map((t) => TYPE_NAMES[t] ?? t)
      .join(' or ')}`,
  minLength: (p) => (p.limit === 1 ? 'cannot be empty' : `must be at least ${plural(Number(p.limit), 'character', 'characters')}`),
  maxLength: (p) => `must be at most ${plural(Number(p.limit), 'character', 'characters')}`,
  minimum: (p) => `must be ${String(p.limit)} or more`,
  maximum: (p) => `must be ${String(p.limit)} or less`,
  exclusiveMinimum: (p) => `must be more than ${String(p.limit)}`,
  exclusiveMaximum: (p) => `must be less than ${String(p.limit)}`,
  multipleOf: (p) => `must be a multiple of ${String(p.multipleOf)}`,
  minItems: (p) => `must have at least ${plural(Number(p.limit), 'item', 'items')}`,
  maxItems: (p) => `must have at most ${plural(Number(p.limit), 'item', 'items')}`,
  uniqueItems: () => 'must not list the same item twice',
  enum: (p) => `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`,
  const: (p) => `must be ${JSON.stringify(p.allowedValue)}`,
  format: (p) => `must be a valid ${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`,
  // `\S` is how the fixed routes say "not blank"; other patterns have no sentence of their own.
  pattern: (p) => (p.pattern === '\\S' ? 'cannot be empty or only spaces' : 'is not in the expected format'),
  anyOf: () => 'has the wrong type',
  oneOf: () => 'has the wrong type',
  notBlank: () => 'is required: it cannot be empty or only spaces',
};

/** The sentence for one failed rule, to follow the field's name. */
export function schemaErrorMessage(error: SchemaError): string {
  return RULES[error.keyword]?.(error.params) ?? 'is not valid';
}

/** A field path as a person reads it: `expected_revenue` → "Expected revenue", `lines.0.quantity` → "Lines 1: quantity". */
export function fieldTitle(field: string): string {
  const parts = field.split('.').map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replaceAll('_', ' ')));
  const text = parts.reduce((title, part, i) => (i === 0 ? part : /^\d+$/.test(part) ? `${title} ${part}` : `${title}: ${part}`), '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
