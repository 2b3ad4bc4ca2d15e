import type { JsonSchema } from '../engine/records/body-schema.ts';

/**
 * A body schema as the validator compiles it (engine/records/body-schema.ts, JSON Schema for ajv) in the
 * OpenAPI 3.0 dialect @fastify/swagger serves, keyword for keyword, so the documented request bodies are
 * the ones the server checks (core/test/openapi-agreement.test.ts):
 *   anyOf [X, {type: null}]      X with `nullable` (each branch of X's own anyOf, as a money amount's; null in an enum)
 *   notBlank (ajv keyword)       pattern \S: some character that is not a space
 *   if {required: [id]} else R   anyOf [{required: [id]}, R] (a line with an id names only what changes)
 *   required: []                 left out (OpenAPI 3.0 wants at least one)
 */
export function openApiOf(schema: JsonSchema): JsonSchema {
  const {
    anyOf,
    notBlank,
    if: condition,
    else: otherwise,
    required,
    properties,
    items,
    ...rest
  } = schema as JsonSchema & {
    anyOf?: JsonSchema[];
    notBlank?: boolean;
    if?: JsonSchema;
    else?: JsonSchema;
    required?: string[];
    properties?: Record<string, JsonSchema>;
    items?: JsonSchema;
  };
  const nullable = anyOf?.length === 2 && (anyOf[1] as { type?: string }).type === 'null';
  if (nullable) return withNull(openApiOf(anyOf[0]));
  const out: JsonSchema = { ...rest };
  if (anyOf) out.anyOf = anyOf.map(openApiOf);
  if (notBlank) out.pattern = '\\S';
  if (required && required.length > 0) out.required = required;
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, openApiOf(value)]));
  if (items) out.items = openApiOf(items);
  if (condition && otherwise) {
    const branches = [condition, otherwise].filter((s) => ((s as { required?: string[] }).required ?? []).length > 0);
    if (branches.length === 2) out.anyOf = branches;
  }
  return out;
}

/** A schema that also takes null: OpenAPI 3.0's `nullable`, on every branch when it is a choice. */
function withNull(schema: JsonSchema): JsonSchema {
  const { anyOf } = schema as { anyOf?: JsonSchema[] };
  if (anyOf) return { ...schema, anyOf: anyOf.map((branch) => ({ ...branch, nullable: true })) };
  if (Object.keys(schema).length === 0) return schema;
  // An enum lists null too: OpenAPI 3.0.3 says `nullable` does not add it to one.
  const { enum: values } = schema as { enum?: unknown[] };
  return { ...schema, nullable: true, ...(values ? { enum: [...values, null] } : {}) };
}
