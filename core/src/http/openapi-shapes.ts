/** The building blocks of the OpenAPI document's hand-described answers (openapi-fixed.ts and its neighbours). */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
/** An object whose properties are all present; those named in `nullable` may be null. */
export const object = (properties: Record<string, Schema>, nullable: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((name) => !nullable.includes(name)),
  properties: Object.fromEntries(
    Object.entries(properties).map(([name, s]) => [name, nullable.includes(name) ? { ...s, nullable: true } : s]),
  ),
});
/** An object whose properties named in `optional` may be absent. */
export const partly = (properties: Record<string, Schema>, optional: string[]): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
});
export const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
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
