import { currencyPrecision } from '@atrium/protocol/money';
import type { ShellHooks } from '@atrium/protocol';
import { amountsOf, quotationTotals } from './totals.ts';

const TAX = 'quotations.tax';
type Line = Record<string, unknown>;

const idOf = (value: unknown): string =>
  typeof value === 'object' && value !== null ? String((value as { id: unknown }).id) : String(value);

/**
 * Live totals in the form, before save: the same quotationTotals the server runs in its beforeWrite hook
 * (server.ts), on the lines as typed. A tax the user may not read counts as 0 here; the server refuses it.
 */
export default {
  models: {
    'quotations.quotation': {
      async preview(values, { read, currency }) {
        const lines = (values.lines ?? []) as Line[];
        const taxIds = lines.map((line) => ((line.taxes ?? []) as unknown[]).map(idOf));
        const wanted = [...new Set(taxIds.flat())];
        const rates = new Map((wanted.length > 0 ? await read(TAX, wanted) : []).map((tax) => [String(tax.id), Number(tax.rate)]));
        const totals = quotationTotals(
          lines.map((line, i) =>
            amountsOf(
              line,
              taxIds[i].map((id) => rates.get(id) ?? 0),
            ),
          ),
          currencyPrecision(currency),
        );
        return {
          lines: totals.subtotals.map((subtotal) => ({ subtotal })),
          amount_untaxed: totals.untaxed,
          amount_tax: totals.tax,
          amount_total: totals.total,
        };
      },
    },
  },
} satisfies ShellHooks;
