// The protocol's money code, not @atrium/core: the shell imports this file too (shell.ts), for live totals.
import * as money from '@atrium/protocol/money';

type Amount = string | number;

/** What a line's amounts depend on. Percentages are numbers like 20 for 20 %. */
export interface LineAmounts {
  quantity: number;
  unitPrice: Amount;
  discount: number;
  /** The rates of the line's taxes. */
  taxRates: number[];
}

/** A line as the records API writes or reads it, with the rates of its taxes (looked up by the caller). */
export function amountsOf(line: Record<string, unknown>, taxRates: number[]): LineAmounts {
  return {
    quantity: Number(line.quantity ?? 0),
    unitPrice: (line.unit_price ?? 0) as Amount,
    discount: Number(line.discount ?? 0),
    taxRates,
  };
}

export interface Totals {
  /** Each line's subtotal, before taxes, in the lines' order. */
  subtotals: string[];
  untaxed: string;
  tax: string;
  total: string;
}

/**
 * Amounts as Odoo computes them with its default "round per line": a line's subtotal is quantity ×
 * unit price less the discount, rounded to the currency; each of its taxes is a percentage of that
 * subtotal, rounded too; the quotation's amounts are the sums. Exact decimals throughout, never floats.
 */
export function quotationTotals(lines: LineAmounts[], precision: number): Totals {
  let untaxed = money.parse('0');
  let tax = money.parse('0');
  const subtotals: string[] = [];
  for (const line of lines) {
    const gross = money.mul(line.quantity, line.unitPrice);
    const subtotal = money.round(money.percent(gross, money.sub(100, line.discount)), precision);
    subtotals.push(money.format(subtotal, precision));
    untaxed = money.add(untaxed, subtotal);
    for (const rate of line.taxRates) tax = money.add(tax, money.round(money.percent(subtotal, rate), precision));
  }
  return {
    subtotals,
    untaxed: money.format(untaxed, precision),
    tax: money.format(tax, precision),
    total: money.format(money.add(untaxed, tax), precision),
  };
}
