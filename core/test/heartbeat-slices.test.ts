import t from 'tap';
import { Slices } from '../src/realtime/heartbeat-slices.ts';

/** Which items come up at each of `ticks` ticks. */
const rounds = <T extends object>(slices: Slices<T>, items: () => T[], ticks: number): T[][] =>
  Array.from({ length: ticks }, () => {
    const slice = slices.advance();
    return items().filter((item) => slices.in(item, slice));
  });

t.test('each item comes up once a round, and a round is spread evenly over its ticks', async (t) => {
  const items = Array.from({ length: 25 }, (_, i) => ({ i }));
  const ticks = rounds(new Slices(10), () => items, 30);
  for (const item of items) t.equal(ticks.filter((tick) => tick.includes(item)).length, 3, `item ${item.i}: once in each of 3 rounds`);
  t.same(
    ticks.map((tick) => tick.length),
    Array.from({ length: 30 }, (_, n) => (n % 10 < 5 ? 3 : 2)),
    '25 items over 10 ticks: 3 or 2 a tick',
  );
});

t.test('an item that joins mid-round gets a slice and keeps it; one that leaves moves no other', async (t) => {
  const slices = new Slices<{ name: string }>(4);
  const a = { name: 'a' };
  const b = { name: 'b' };
  const c = { name: 'c' };
  let present = [a, b];
  const seen: string[][] = [];
  for (let tick = 0; tick < 12; tick++) {
    if (tick === 2) present = [a, b, c];
    if (tick === 6) present = [b, c];
    const slice = slices.advance();
    seen.push(present.filter((item) => slices.in(item, slice)).map((item) => item.name));
  }
  // a: slice 0, b: slice 1, c: slice 2 (placed when first seen, at tick 2).
  t.same(seen, [['a'], ['b'], ['c'], [], ['a'], ['b'], ['c'], [], [], ['b'], ['c'], []]);
});
