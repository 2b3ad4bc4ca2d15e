/**
 * Tenant scaling: the list of one tenant (10,000 leads) at a fixed request rate, below saturation, so
 * that p99 shows the cost of a request rather than a queue; measured with 10 tenants in the table, then
 * again after thousands more were added.
 */
import { load, type LoadResult } from '../load.ts';
import type { BenchTenant } from '../seed.ts';
import { rotating, type Target } from '../targets.ts';

export async function listAtFixedRate(target: Target, tenants: BenchTenant[], rate: number, seconds: number): Promise<LoadResult> {
  await load(target.base, { connections: 4, seconds: 1, overallRate: rate, next: rotating(target, 'list', tenants) });
  return load(target.base, { connections: 4, seconds, overallRate: rate, next: rotating(target, 'list', tenants) });
}
