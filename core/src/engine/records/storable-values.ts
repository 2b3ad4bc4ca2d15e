import type { FieldProblem } from '../../kernel/errors.ts';

/** Deeper JSON than this is refused: PostgreSQL's jsonb parser and JSON.stringify both recurse per level. */
export const MAX_JSON_DEPTH = 32;

const MAX_PROBLEMS = 20;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): Omit<FieldProblem, 'field'> | undefined {
  // PostgreSQL refuses NUL in text and in jsonb (as \u0000), and jsonb refuses an escaped lone surrogate.
  if (text.includes('\u0000')) return { rule: 'nul', message: 'cannot contain NUL characters' };
  if (LONE_SURROGATE.test(text)) return { rule: 'unicode', message: 'is not valid Unicode' };
  return undefined;
}

/**
 * What in a parsed body PostgreSQL could not store, by field path (`data.items.0`): NUL characters and
 * lone surrogates in any string or key, and nesting past MAX_JSON_DEPTH. Checked before the schema, so a
 * write fails as a 400 naming the field instead of as a database error.
 */
export function unstorableValues(body: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ field: path.join('.'), ...problem });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (path.length > MAX_JSON_DEPTH) {
      problems.push({ field: path.slice(0, 1).join('.'), rule: 'depth', message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key);
      if (problem) problems.push({ field: [...path, key].join('.'), ...problem });
      else visit(item, [...path, key]);
    }
  };
  visit(body, []);
  return problems;
}
