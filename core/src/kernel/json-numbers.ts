import type { FieldProblem } from './errors.ts';

/**
 * JSON numbers that a double cannot hold as written. JSON.parse rounds them silently — 9007199254740993
 * reads as 9007199254740992, 0.1000000000000000001 as 0.1, 1e400 as Infinity — and a money amount or a
 * filter value would then be stored or compared as something the client never sent. Clients that print
 * numbers from doubles (JavaScript, Python) never write such texts; a value that needs more digits goes
 * as a string. Exponents themselves are fine: 1e21 is exactly what it says.
 */

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"[^"\\]*(?:\\.[^"\\]*)*"/y;
/** Up to 15 characters of digits and a point make at most 15 significant digits: always exact. */
const MAYBE_INEXACT = /[\d.]{16}|\d[eE][+-]?\d/;
const PARTS = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A number's text as sign, significant digits and exponent ("-12e3"), so equal values compare equal. */
function canonical(text: string): string {
  const [, sign, whole, fraction = '', exponent = '0'] = PARTS.exec(text)!;
  const digits = (whole + fraction).replace(/^0+/, '');
  if (!digits) return '0';
  const significant = digits.replace(/0+$/, '');
  return `${sign}${significant}e${Number(exponent) - fraction.length + digits.length - significant.length}`;
}

/** Does the double JSON.parse makes of this number text hold exactly the value written? */
export function isExactNumber(text: string): boolean {
  const value = Number(text);
  return Number.isFinite(value) && canonical(text) === canonical(String(value));
}

/**
 * The paths (`lines.0.unit_price`) of the numbers in a JSON text (already known to be valid JSON) that
 * are not exact, as 400 problems under `prefix` ("filter." for a filter; "" for a body).
 */
export function inexactNumbers(text: string, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!MAYBE_INEXACT.test(text)) return problems;
  const path: (string | number)[] = [];
  const inObject: boolean[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length && problems.length < 20;) {
    const c = text[i];
    if (c === '"') {
      STRING.lastIndex = i;
      const token = STRING.exec(text)![0];
      if (expectingKey) path[path.length - 1] = JSON.parse(token) as string;
      expectingKey = false;
      i += token.length;
    } else if (c === '{' || c === '[') {
      inObject.push(c === '{');
      path.push(c === '{' ? '' : 0);
      expectingKey = c === '{';
      i++;
    } else if (c === '}' || c === ']') {
      inObject.pop();
      path.pop();
      i++;
    } else if (c === ',') {
      if (inObject.at(-1)) expectingKey = true;
      else (path[path.length - 1] as number)++;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)![0];
      if (!isExactNumber(token))
        problems.push({
          field: `${prefix}${path.join('.')}` || 'body',
          rule: 'precision',
          message: `${token} cannot be held exactly as a number: send it as a string`,
        });
      i += token.length;
    } else i++;
  }
  return problems;
}
