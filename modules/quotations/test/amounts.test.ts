import t from 'tap';
import { quotationTotals } from '../totals.ts';

t.test('amounts follow the currency precision', async (t) => {
  const lines = [
    { quantity: 3, unitPrice: '333', discount: 0, taxRates: [7.5] },
    { quantity: 1, unitPrice: '0.5', discount: 0, taxRates: [] },
  ];
  t.same(quotationTotals(lines, 0), { subtotals: ['999', '1'], untaxed: '1000', tax: '75', total: '1075' }, 'JPY: 74.925 → 75, 0.5 → 1');
  t.same(
    quotationTotals([{ quantity: 1, unitPrice: '1.2345', discount: 0, taxRates: [10] }], 3),
    { subtotals: ['1.235'], untaxed: '1.235', tax: '0.124', total: '1.359' },
    'KWD: three decimals',
  );
});

t.test('a full discount or a zero quantity gives zero, and 0.1 + 0.2 is 0.3', async (t) => {
  t.same(quotationTotals([{ quantity: 5, unitPrice: '9.99', discount: 100, taxRates: [20] }], 2).total, '0.00');
  t.same(quotationTotals([{ quantity: 0, unitPrice: '9.99', discount: 0, taxRates: [20] }], 2).total, '0.00');
  t.same(
    quotationTotals(
      [
        { quantity: 1, unitPrice: 0.1, discount: 0, taxRates: [] },
        { quantity: 1, unitPrice: 0.2, discount: 0, taxRates: [] },
      ],
      2,
    ).untaxed,
    '0.30',
  );
});

t.test('quantities JavaScript prints with an exponent are exact too', async (t) => {
  t.same(quotationTotals([{ quantity: 1e21, unitPrice: '2.50', discount: 0, taxRates: [10] }], 2), {
    subtotals: ['2500000000000000000000.00'],
    untaxed: '2500000000000000000000.00',
    tax: '250000000000000000000.00',
    total: '2750000000000000000000.00',
  });
  t.same(quotationTotals([{ quantity: 1e-7, unitPrice: 1e14, discount: 0, taxRates: [] }], 2).total, '10000000.00', '1e-7 × 1e14');
  t.same(quotationTotals([{ quantity: 1e300, unitPrice: '1', discount: 0, taxRates: [] }], 2).total, `1${'0'.repeat(300)}.00`);
});
