/**
 * Profiling aid (not part of `npm run bench`): after `npm run bench -- --quick --keep`, runs one operation
 * against a fresh Atrium server started with `--cpu-prof`, e.g.
 *   node --import tsx bench/profile.ts create 10        (operation, connections, seconds; --no-prof to only measure)
 * The profile lands in bench/results/prof/ (open it in Chrome DevTools or speedscope).
 */
import pg from 'pg';
import { load } from './load.ts';
import { startAtrium } from './servers.ts';
import { ATRIUM_DB, dbUrl, SECRET } from './settings.ts';
import { atrium, rotating, type Operation } from './targets.ts';
import type { BenchTenant } from './seed.ts';
import { signToken } from './tokens.ts';

const args = process.argv.slice(2).filter((a) => a !== '--no-prof');
const [op = 'create', connections = '10', seconds = '10'] = args;
// --no-prof: the same measurement without the profiler (for before/after figures of a change).
if (!process.argv.includes('--no-prof')) process.env.BENCH_CPU_PROF = '1';
const client = new pg.Client({ connectionString: dbUrl(ATRIUM_DB) });
await client.connect();
const { rows } = await client.query(`SELECT DISTINCT ON (l.tenant_id) l.tenant_id, l.salesperson_id, s.id AS stage FROM crm_lead l
  JOIN crm_stage s ON s.tenant_id = l.tenant_id AND s.sequence = 1 WHERE l.salesperson_id IS NOT NULL ORDER BY l.tenant_id LIMIT 10`);
await client.end();
const tenants: BenchTenant[] = rows.map((r) => ({
  id: r.tenant_id,
  stage: r.stage,
  users: [{ id: r.salesperson_id, role: 'user', token: signToken(SECRET, r.tenant_id, r.salesperson_id) }],
}));
const server = await startAtrium(ATRIUM_DB);
try {
  const target = atrium(server.base);
  await load(server.base, { connections: Number(connections), seconds: 2, next: rotating(target, op as Operation, tenants) });
  const result = await load(server.base, {
    connections: Number(connections),
    seconds: Number(seconds),
    next: rotating(target, op as Operation, tenants),
  });
  console.log(op, connections, result);
} finally {
  await server.stop();
}
