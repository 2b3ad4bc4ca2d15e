import type { RecordData } from '@atrium/protocol';

const STEP = 10;

/**
 * New `sequence` values after a card was dropped at its place in `ordered` (the column in its new order):
 * only the moved card's when it fits between its neighbours, else the whole column renumbered by tens.
 * Returns just the cards whose sequence changes.
 */
export function sequenceChanges(ordered: RecordData[], movedId: string): { id: string; sequence: number }[] {
  const index = ordered.findIndex((r) => r.id === movedId);
  const seq = (r: RecordData | undefined): number | null => (r && typeof r.sequence === 'number' ? r.sequence : null);
  const before = index > 0 ? seq(ordered[index - 1]) : undefined;
  const after = index < ordered.length - 1 ? seq(ordered[index + 1]) : undefined;
  let fitted: number | null = null;
  if (before === undefined && after === undefined) fitted = seq(ordered[index]) ?? STEP;
  else if (before === undefined && after !== null && after !== undefined) fitted = after - STEP;
  else if (after === undefined && before !== null && before !== undefined) fitted = before + STEP;
  else if (before !== null && after !== null && before !== undefined && after !== undefined && after - before >= 2)
    fitted = Math.floor((before + after) / 2);
  if (fitted !== null) return fitted === seq(ordered[index]) ? [] : [{ id: movedId, sequence: fitted }];
  return ordered.map((r, i) => ({ id: r.id, sequence: (i + 1) * STEP })).filter((c, i) => c.sequence !== seq(ordered[i]));
}
