import * as decimals from '@atrium/protocol/money';
import { defineFieldType, described, nullable, refused } from './field-type.ts';

const DECIMAL = '^-?\\d{1,15}(\\.\\d{1,6})?$';
const DECIMAL_TEXT = new RegExp(DECIMAL);

/**
 * An amount in the tenant's currency: an exact decimal (numeric), read back as a string with the
 * currency's decimals (153.90), written as a number or a string of digits.
 */
export const money = defineFieldType({
  name: 'money',
  kind: 'decimal',
  column: 'numeric',
  cast: 'numeric',
  body: (field) => nullable(field, { anyOf: [{ type: 'number' }, { type: 'string', pattern: DECIMAL }] }),
  openapi: (field) => ({ ...described(field), type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', example: '153.90' }),
  typescript: (_field, part) => (part === 'values' ? 'string | number' : 'string'),
  filter: {
    ordered: true,
    textual: false,
    parse: (operand) => {
      // A number is written out in full (1e21 as digits): the same bounds as an amount sent as text.
      const text = typeof operand === 'number' && Number.isFinite(operand) ? decimals.plainText(operand) : operand;
      return typeof text === 'string' && DECIMAL_TEXT.test(text)
        ? { value: text }
        : refused('must be an amount (at most 15 digits before the point, 6 after)');
    },
  },
  summable: true,
  normalize: (value, { precision }) => {
    // A number is written out exactly (1e21 as 22 digits), then bound as an amount sent as text is.
    const text = typeof value === 'number' ? decimals.plainText(value) : String(value);
    const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
    if (whole.length > decimals.MONEY_DIGITS)
      return { problem: { rule: 'range', message: `has more than ${decimals.MONEY_DIGITS} digits before the decimal point` } };
    if (fraction.length > precision) return { problem: { rule: 'precision', message: `has more than ${precision} decimals` } };
    return { value: decimals.format(decimals.parse(text), precision) };
  },
  fromDefault: (declared, { precision }) => decimals.format(decimals.parse(declared as string), precision),
  widget: 'money',
});
