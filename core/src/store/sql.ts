import { AtriumError } from '../kernel/errors.ts';

/**
 * SQL fragments with their values kept apart until the last moment. The record path sends a whole
 * transaction (role, tenant, statement, event) in ONE round trip, which only PostgreSQL's simple-query
 * protocol allows, and that protocol takes no parameters: so `toText` inlines each value as an escaped
 * literal. Identifiers never come from clients (only from validated manifests) and go through `ident`.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
    /** Sent as EXECUTE of a statement prepared once per connection (see `prepared`). */
    readonly prepare = false,
  ) {}
}

/**
 * The statement, prepared once per connection and then EXECUTEd with its values as literals, in the same
 * one-round-trip message as the rest of the transaction: PostgreSQL then plans it once per connection
 * instead of on every request (the write path's event statement cost more to plan than to run). For
 * statements of a bounded number of shapes, whose every value has a type its context fixes (a cast, a
 * column, a function argument).
 */
export const prepared = (statement: Sql): Sql => new Sql(statement.strings, statement.values, true);

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const outStrings: string[] = [strings[0]];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      outStrings[outStrings.length - 1] += value.strings[0];
      for (let j = 0; j < value.values.length; j++) {
        outValues.push(value.values[j]);
        outStrings.push(value.strings[j + 1]);
      }
      outStrings[outStrings.length - 1] += strings[i + 1];
    } else {
      outValues.push(value);
      outStrings.push(strings[i + 1]);
    }
  });
  return new Sql(outStrings, outValues);
}

/** Trusted SQL text (never from a client). */
export const raw = (text: string): Sql => new Sql([text], []);

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
export function ident(name: string): Sql {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return raw(`"${name}"`);
}

/** The parts with `separator` between them, in one pass (a record's JSON joins dozens of fragments). */
export function join(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 0) return raw('');
  if (parts.length === 1) return parts[0];
  const strings = [...parts[0].strings];
  const values = [...parts[0].values];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    strings[strings.length - 1] += separator + part.strings[0];
    for (let j = 0; j < part.values.length; j++) {
      values.push(part.values[j]);
      strings.push(part.strings[j + 1]);
    }
  }
  return new Sql(strings, values);
}

export const empty = raw('');

function quoteString(value: string): string {
  if (value.includes('\0')) throw AtriumError.invalidField('body', 'nul', 'text cannot contain NUL bytes');
  // As pg's escapeLiteral: double quotes; with backslashes, an E'' literal with doubled backslashes.
  const doubled = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}

function arrayLiteral(items: readonly unknown[]): string {
  const elements = items.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    return `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${elements.join(',')}}`;
}

export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw AtriumError.invalidField('value', 'number', 'not a finite number');
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (typeof value === 'string') return quoteString(value);
  if (value instanceof Date) return quoteString(value.toISOString());
  // bytea's hex format (a standard string: the backslash is literal).
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`;
  if (Array.isArray(value)) return quoteString(arrayLiteral(value));
  return quoteString(JSON.stringify(value));
}

/** The statement as text with every value inlined as a literal. */
export function toText(statement: Sql): string {
  let text = statement.strings[0];
  for (let i = 0; i < statement.values.length; i++) text += literal(statement.values[i]) + statement.strings[i + 1];
  return text;
}

/** The statement as `$n` text and values, for the extended protocol (system queries). */
export function toParams(statement: Sql): { text: string; values: unknown[] } {
  let text = statement.strings[0];
  for (let i = 0; i < statement.values.length; i++) text += `$${i + 1}` + statement.strings[i + 1];
  return { text, values: [...statement.values] };
}
