/**
 * Atrium on its embedded PGlite, beside PostgreSQL: the same create (10 connections) and list as the HTTP
 * scenarios, Atrium alone, on smaller data (PGlite is one backend in the server's process, for one node).
 * No target: a figure to follow. The list rounds run first, so they read the seeded leads only (the creates
 * add to them and nothing deletes them while the server owns the data folder).
 */
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { load, type LoadResult } from '../load.ts';
import { seedAtriumTenants, seedLeads, type BenchTenant } from '../seed.ts';
import { atrium, rotating, type Operation } from '../targets.ts';

export interface PgliteResults {
  tenants: number;
  leadsPerTenant: number;
  create: LoadResult[];
  list: LoadResult[];
}

/**
 * Seeds a data folder that Atrium has migrated and let go (a data folder has one owner: the server must be
 * stopped) with the seed's SQL, run by PGlite itself, and the same shape as on PostgreSQL. The database is
 * the `pglite` folder inside ATRIUM_DATA_DIR (the default of `database.dataDir`).
 */
export async function seedPglite(dataDir: string, tenants: number, leadsPerTenant: number): Promise<BenchTenant[]> {
  const db = await PGlite.create(join(dataDir, 'pglite'));
  try {
    const seeded = await seedAtriumTenants(db, tenants);
    await seedLeads(db, 'crm_lead', 'crm_stage', seeded, leadsPerTenant);
    return seeded;
  } finally {
    await db.close();
  }
}

export async function pgliteRounds(
  base: string,
  tenants: BenchTenant[],
  options: { rounds: number; seconds: number; leadsPerTenant: number },
  progress: (line: string) => void,
): Promise<PgliteResults> {
  const target = atrium(base);
  const results: PgliteResults = { tenants: tenants.length, leadsPerTenant: options.leadsPerTenant, create: [], list: [] };
  for (const op of ['list', 'create'] as const satisfies Operation[]) {
    await load(base, { connections: 10, seconds: 1, next: rotating(target, op, tenants) });
    for (let round = 1; round <= options.rounds; round++) {
      const result = await load(base, { connections: 10, seconds: options.seconds, next: rotating(target, op, tenants) });
      results[op].push(result);
      progress(
        `round ${round} pglite ${op.padEnd(6)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms${result.failures ? `  FAILURES ${result.failures}` : ''}`,
      );
    }
  }
  return results;
}
