/** The building blocks of the OpenAPI document's hand-described answers (openapi-fixed.ts and its neighbours). */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
/** The schema or null (OpenAPI 3.0 ignores what stands beside a $ref: a reference is wrapped). */
export const orNull = (schema: Schema): Schema => ('$ref' in schema ? { allOf: [schema], nullable: true } : { ...schema, nullable: true });
/** An object whose properties are all present; those named in `nullable` may be null (still present). */
export const object = (properties: Record<string, Schema>, nullable: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties),
  properties: Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, nullable.includes(name) ? orNull(s) : s])),
});
/** An object whose properties named in `optional` may be absent. */
export const partly = (properties: Record<string, Schema>, optional: string[]): Schema => {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  // OpenAPI 3.0 wants `required` to list at least one.
  return { type: 'object', ...(required.length > 0 ? { required } : {}), properties };
};
export const string = { type: 'string' };
export const uuid = { type: 'string', format: 'uuid' };
export const dateTime = { type: 'string', format: 'date-time' };
export const date = { type: 'string', format: 'date' };
export const boolean = { type: 'boolean' };
export const integer = { type: 'integer' };
export const strings = { type: 'array', items: string };
export const anyValue = {};
export const dictionary = (values: Schema = anyValue): Schema => ({ type: 'object', additionalProperties: values });
export const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
/** `{data: [NAME…]}`, the answer of every list. */
export const list = (name: string): Schema => object({ data: arrayOf(ref(name)) });
/** A file in an answer or a request body. */
export const FILE = { type: 'string', format: 'binary' };

/** Answers of one operation, by status. */
export type Answers = Record<string, Schema>;
export const json = (status: number, schema: Schema, description: string): Answers => ({
  [status]: { description, content: { 'application/json': { schema } } },
});
export const file = (status: number, type: string, description: string): Answers => ({
  [status]: { description, content: { [type]: { schema: FILE } } },
});
export const noContent = (description: string): Answers => ({ 204: { description } });

/** What a route checks in code rather than with a schema: its body, its query parameters (all optional). */
export interface Inputs {
  body?: Schema;
  query?: Record<string, Schema>;
}
/** An operation with its inputs described. */
export function withInputs(operation: Schema, inputs: Inputs | undefined): Schema {
  if (!inputs) return operation;
  const query = Object.entries(inputs.query ?? {}).map(([name, schema]) => ({ name, in: 'query', schema }));
  return {
    ...operation,
    ...(inputs.body ? { requestBody: { content: { 'application/json': { schema: inputs.body } } } } : {}),
    ...(query.length > 0 ? { parameters: [...((operation.parameters as Schema[] | undefined) ?? []), ...query] } : {}),
  };
}
