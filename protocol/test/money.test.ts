import t from 'tap';
import { add, compare, currencyPrecision, format, mul, parse, percent, plainText, round, sub, sum } from '../src/money.ts';

t.test('amounts add up exactly, as decimals', async (t) => {
  t.equal(sum(['0.10', '0.20']), '0.30', 'no float error');
  t.equal(sum(['1200.50', '-0.5', 3, null, '', undefined]), '1203.00', 'empty values are left out');
  t.equal(sum(['-12.345', '2']), '-10.345', 'the most precise term sets the decimals');
  t.equal(sum(['99999999999999.99', '0.01']), '100000000000000.00', "beyond a float's precision");
  t.equal(sum([]), '0');
  t.equal(format(add('0.1', '0.2'), 2), '0.30');
  t.equal(format(sub('10', '0.01'), 2), '9.99');
  t.equal(format(mul('19.99', 3), 2), '59.97');
});

t.test('parse reads text, numbers and exponents exactly', async (t) => {
  t.same(parse('153.90'), { units: 15390n, scale: 2 });
  t.same(parse(' -0.5 '), { units: -5n, scale: 1 }, 'trimmed');
  t.same(parse('1e3'), { units: 1000n, scale: 0 }, 'a positive exponent scales up');
  t.same(parse(1.5e-7), { units: 15n, scale: 8 }, 'a number as JavaScript prints it');
  t.throws(() => parse('1,5'), /not a decimal/);
  t.throws(() => parse(''), /not a decimal/);
  t.throws(() => parse('abc'), /not a decimal/);
});

t.test('plainText writes a double without an exponent', async (t) => {
  t.equal(plainText(0.1), '0.1', 'the shortest text that reads back');
  t.equal(plainText(1e21), '1000000000000000000000');
  t.equal(plainText(1e-7), '0.0000001');
  t.equal(plainText(-1.25e-7), '-0.000000125');
  t.throws(() => plainText(Number.NaN), /not a finite number/);
  t.throws(() => plainText(Number.POSITIVE_INFINITY), /not a finite number/);
});

t.test('rounding is half away from zero', async (t) => {
  t.equal(format(round('2.345', 2), 2), '2.35');
  t.equal(format(round('-2.345', 2), 2), '-2.35');
  t.equal(format(round('2.344', 2), 2), '2.34');
  t.equal(format('0.005', 2), '0.01');
  t.equal(format('-0.004', 2), '0.00', 'no negative zero');
  t.equal(format('7', 0), '7');
  t.equal(format('1.5', 3), '1.500', 'padded to the places asked');
  t.equal(format(percent('200', '12.5'), 2), '25.00', 'a percentage is exact');
});

t.test('compare orders by value, not by text', async (t) => {
  t.equal(compare('10', '9'), 1);
  t.equal(compare('1.50', '1.5'), 0, 'trailing zeros do not matter');
  t.equal(compare('-2', '1'), -1);
  t.equal(compare(0.1, '0.10'), 0);
});

t.test('currencies have their decimals', async (t) => {
  t.equal(currencyPrecision('EUR'), 2);
  t.equal(currencyPrecision('JPY'), 0);
  t.equal(currencyPrecision('KWD'), 3);
  t.equal(currencyPrecision('NOT-A-CODE'), 2, 'an unknown code has 2');
});
