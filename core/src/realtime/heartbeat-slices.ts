/**
 * Work spread over an interval in `count` slices, one slice a tick. Each item is given a slice the first
 * time it is seen (round robin) and keeps it, so that it comes up exactly once a round whoever joins or
 * leaves, and a round's items are spread evenly over its ticks.
 */
export class Slices<T extends object> {
  private readonly sliceOf = new WeakMap<T, number>();
  private placed = 0;
  private ticks = 0;

  constructor(readonly count: number) {}

  /** The slice whose turn it is now; each call is the next tick. */
  advance(): number {
    return this.ticks++ % this.count;
  }

  /** Whether `item` belongs to `slice` (placing it, if it is new). */
  in(item: T, slice: number): boolean {
    let own = this.sliceOf.get(item);
    if (own === undefined) this.sliceOf.set(item, (own = this.placed++ % this.count));
    return own === slice;
  }
}
