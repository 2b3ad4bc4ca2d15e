/**
 * Create, list and kanban groups against both servers, in alternating rounds (raw first in odd rounds,
 * Atrium first in even ones), so that drift on a shared machine falls on both alike.
 */
import { load, type LoadResult } from '../load.ts';
import type { BenchTenant } from '../seed.ts';
import { rotating, type Operation, type Target } from '../targets.ts';

export interface HttpScenario {
  key: string;
  label: string;
  op: Operation;
  connections: number;
}

export const HTTP_SCENARIOS: HttpScenario[] = [
  { key: 'create_10', label: 'POST create lead, 10 conn', op: 'create', connections: 10 },
  { key: 'create_50', label: 'POST create lead, 50 conn', op: 'create', connections: 50 },
  { key: 'list', label: 'GET list, newest 50 + total, 10 conn', op: 'list', connections: 10 },
  { key: 'groups', label: 'GET kanban groups (count, sum), 10 conn', op: 'groups', connections: 10 },
];

export type HttpResults = Record<string, Record<'raw' | 'atrium', LoadResult[]>>;

/**
 * `reset` runs after every create measurement: it deletes the leads just created, so that every list and
 * groups measurement reads the same 10 × 10,000 leads on both servers (the raw server creates several
 * times as many, which would otherwise make its reads slower round after round).
 */
export async function httpRounds(
  targets: [Target, Target],
  tenants: BenchTenant[],
  rounds: number,
  seconds: number,
  reset: (target: Target) => Promise<void>,
  progress: (line: string) => void,
): Promise<HttpResults> {
  const results: HttpResults = Object.fromEntries(HTTP_SCENARIOS.map((s) => [s.key, { raw: [], atrium: [] }]));
  // Warm-up: JIT, connection pools, plans and caches, for each server and operation.
  for (const target of targets) {
    for (const s of HTTP_SCENARIOS)
      await load(target.base, { connections: s.connections, seconds: 1, next: rotating(target, s.op, tenants) });
    await reset(target);
  }
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? targets : ([targets[1], targets[0]] as const);
    for (const s of HTTP_SCENARIOS) {
      for (const target of order) {
        const result = await load(target.base, {
          connections: s.connections,
          seconds,
          next: rotating(target, s.op, tenants),
          server: target.server,
        });
        if (s.op === 'create') await reset(target);
        results[s.key][target.name].push(result);
        progress(
          `round ${round} ${s.key.padEnd(10)} ${target.name.padEnd(6)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms${result.failures ? `  FAILURES ${result.failures}` : ''}`,
        );
      }
    }
  }
  return results;
}
