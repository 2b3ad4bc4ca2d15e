import { AtriumError, relationId, type RecordData, type WriteContext } from '@atrium/core';
import { amountsOf, type LineAmounts } from './totals.ts';

const TAX = 'quotations.tax';

/**
 * The lines as they will be after this write: the body lists every line, and a line with an id names
 * only what changes, so the rest comes from the current line. A line id that is not this quotation's is
 * left for the core to refuse.
 */
function linesAfterWrite(ctx: WriteContext): RecordData[] {
  const current = new Map(((ctx.current?.lines ?? []) as RecordData[]).map((line) => [line.id, line]));
  return (ctx.values.lines as RecordData[]).map((line) => ({
    ...(typeof line.id === 'string' ? current.get(line.id) : undefined),
    ...line,
  }));
}

/** Each line's amounts, with its taxes' rates read from the tenant's taxes (unknown ids are a 400 on the line). */
export async function lineAmounts(ctx: WriteContext): Promise<LineAmounts[]> {
  const lines = linesAfterWrite(ctx);
  const taxIds = lines.map((line) => ((line.taxes ?? []) as unknown[]).map((tax) => String(relationId(tax))));
  const wanted = [...new Set(taxIds.flat())];
  const taxes = wanted.length > 0 ? await ctx.records.find(TAX, { id: { $in: wanted } }, { limit: wanted.length }) : [];
  const rates = new Map(taxes.map((tax) => [tax.id, Number(tax.rate)]));
  return lines.map((line, i) =>
    amountsOf(
      line,
      taxIds[i].map((id) => {
        const rate = rates.get(id);
        if (rate === undefined)
          throw AtriumError.invalidField(`lines.${i}.taxes`, 'relation', 'refers to a record that does not exist or that you may not see');
        return rate;
      }),
    ),
  );
}
