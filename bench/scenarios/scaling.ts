/**
 * Tenant scaling: the list of one tenant (10,000 leads) at a fixed request rate (paced-load.ts), below
 * saturation, so that p99 shows the cost of a request rather than a queue; `rounds` measurements with 10
 * tenants in the table, then as many again after thousands more were added. The target holds in every
 * round after: each after-round's p99 against the median of the rounds before (the two sets are minutes
 * apart, with the seeding between, so their rounds do not pair up; the median is the steadiest reference).
 */
import type { LoadResult } from '../load.ts';
import { pacedLoad } from '../paced-load.ts';
import type { BenchTenant } from '../seed.ts';
import { median } from '../stats.ts';
import { rotating, type Target } from '../targets.ts';

export async function listAtFixedRate(
  target: Target,
  tenants: BenchTenant[],
  options: { rate: number; rounds: number; seconds: number },
  progress: (line: string) => void,
): Promise<LoadResult[]> {
  const list = (seconds: number): Promise<LoadResult> =>
    pacedLoad(target.base, { rate: options.rate, seconds, next: rotating(target, 'list', tenants) });
  await list(1);
  const results: LoadResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const result = await list(options.seconds);
    results.push(result);
    progress(`round ${round} list at ${options.rate} req/s: p50 ${result.p50} ms p99 ${result.p99} ms`);
  }
  return results;
}

/** Each after-round's p99 ÷ the median p99 of the rounds before. */
export const growthPerRound = (before: LoadResult[], after: LoadResult[]): number[] => {
  const reference = median(before.map((x) => x.p99));
  return after.map((x) => x.p99 / reference);
};
