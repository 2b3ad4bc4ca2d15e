import t from 'tap';
import { sumDecimals } from './decimal-sum';

t.test('amounts add up exactly, as decimals', async (t) => {
  t.equal(sumDecimals(['0.10', '0.20']), '0.30', 'no float error');
  t.equal(sumDecimals(['1200.50', '-0.5', 3, null, '']), '1203.00');
  t.equal(sumDecimals(['-12.345', '2']), '-10.345', 'the most precise term sets the decimals');
  t.equal(sumDecimals(['99999999999999.99', '0.01']), '100000000000000.00', 'beyond a float\'s precision');
  t.equal(sumDecimals([]), '0');
});
