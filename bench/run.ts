/**
 * `npm run bench` (full, about 12 minutes) or `npm run bench -- --quick` (about 3 minutes): Atrium and a
 * raw fastify + pg baseline on the local PostgreSQL, seeded alike, measured in alternating rounds; prints
 * one Markdown table and a PASS/MISS line per target, and writes the raw numbers to bench/results/latest.json.
 * `--keep` leaves the databases in place (for EXPLAIN); otherwise they are dropped at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { report, type RunResults } from './report.ts';
import { httpRounds } from './scenarios/http.ts';
import { customFieldRounds, seedCustomField } from './scenarios/custom-fields.ts';
import { memory } from './scenarios/memory.ts';
import { importRate, type ImportRate } from './scenarios/import.ts';
import { listAtFixedRate } from './scenarios/scaling.ts';
import type { LoadResult } from './load.ts';
import { largeTenant } from './scenarios/large-tenant.ts';
import { pgliteRounds, seedPglite, type PgliteResults } from './scenarios/pglite.ts';
import { websocketLatency, type WsResult } from './scenarios/websocket.ts';
import {
  createRawSchema,
  deleteBenchLeads,
  dropDatabase,
  recreateDatabase,
  seedAtriumTenants,
  seedExtraTenants,
  seedLeads,
  seedRawExtraTenants,
  seedRawStages,
} from './seed.ts';
import { startAtrium, startAtriumOnPglite, startRaw, type Server } from './servers.ts';
import { describe, nodeMetrics } from './node-metrics.ts';
import { ATRIUM_DB, RAW_DB, settings } from './settings.ts';
import { atrium, raw, type Target } from './targets.ts';

const config = settings(process.argv.slice(2));
const keep = process.argv.includes('--keep');
const started = performance.now();
const log = (line: string): void => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const servers: Server[] = [];

async function main(): Promise<void> {
  const loadAverage = loadavg();
  const startedAt = new Date().toISOString();
  log(`${config.quick ? 'quick' : 'full'} run; load average ${loadAverage.map((x) => x.toFixed(2)).join(' ')}`);
  await recreateDatabase(ATRIUM_DB);
  await recreateDatabase(RAW_DB);
  await createRawSchema(RAW_DB);
  let atriumServer = await startAtrium(ATRIUM_DB);
  servers.push(atriumServer);
  let rawServer = await startRaw(RAW_DB);
  servers.push(rawServer);
  log('servers up (Atrium migrated its database)');

  // Five more tenants warm the memory scenario's server up (see scenarios/memory.ts).
  const all = await seedAtriumTenants(ATRIUM_DB, config.ws.tenants + 5);
  const tenants = all.slice(0, config.ws.tenants);
  const warmUp = all.slice(config.ws.tenants);
  await seedRawStages(RAW_DB, all);
  const loaded = tenants.slice(0, config.tenants);
  await seedLeads(ATRIUM_DB, 'crm_lead', 'crm_stage', loaded, config.leadsPerTenant);
  await seedLeads(RAW_DB, 'lead', 'stage', loaded, config.leadsPerTenant);
  log(
    `seeded ${config.tenants} tenants × ${config.leadsPerTenant} leads in both databases (${config.ws.tenants} tenants with 10 users each in Atrium)`,
  );

  const targets: [Target, Target] = [
    raw(rawServer.base, { pid: rawServer.process.pid!, database: RAW_DB }),
    atrium(atriumServer.base, { pid: atriumServer.process.pid!, database: ATRIUM_DB }),
  ];
  const reset = (target: Target): Promise<void> =>
    target.name === 'raw' ? deleteBenchLeads(RAW_DB, 'lead') : deleteBenchLeads(ATRIUM_DB, 'crm_lead');
  const http = await httpRounds(targets, loaded, config.rounds, config.seconds, reset, log);

  const listRps = [...http.list.atrium.map((x) => x.rps)].sort((a, b) => a - b)[Math.floor(http.list.atrium.length / 2)];
  const rate = Math.max(10, Math.round((listRps * 0.5) / 10) * 10);
  const scalingOptions = { rate, rounds: config.rounds, seconds: config.scaling.seconds };
  const scalingRounds = (target: Target, tenantCount: number): Promise<LoadResult[]> =>
    listAtFixedRate(target, loaded, scalingOptions, (line) => log(`${line}, ${tenantCount} tenants, ${target.name}`));
  const before = await scalingRounds(targets[1], config.tenants);
  const rawBefore = await scalingRounds(targets[0], config.tenants);

  await seedCustomField(atriumServer.base, ATRIUM_DB, loaded);
  const customFields = await customFieldRounds(atriumServer.base, loaded, config.rounds, config.seconds, log);

  // A warm-up round of each (2 s, not measured), as the HTTP scenarios have: the first round of either server
  // paid for its sockets' first events (sessions read, feeds started, code compiled) and stood out.
  for (const target of targets) await websocketLatency(target, tenants, { ...config.ws, seconds: 2 });
  const websocket: { raw: WsResult[]; atrium: WsResult[] } = { raw: [], atrium: [] };
  for (let round = 1; round <= config.rounds; round++) {
    for (const target of round % 2 === 1 ? targets : [targets[1], targets[0]]) {
      const result = await websocketLatency(target, tenants, config.ws);
      websocket[target.name].push(result);
      log(
        `round ${round} websocket ${target.name.padEnd(6)} p50 ${result.p50.toFixed(1)} ms p99 ${result.p99.toFixed(1)} ms, ${result.delivered}/${result.expected} delivered, ${result.crossTenant} cross-tenant, ${result.failedWrites} failed writes`,
      );
    }
  }

  // Each server's rounds right after its own database got the same 495,000 rows of 9,900 more tenants: the raw
  // baseline's rounds show what the seeding alone does to a list's p99 on this machine.
  const extra = config.scaling.tenants - config.ws.tenants;
  const tenantsAfter = await seedExtraTenants(ATRIUM_DB, extra, config.scaling.leadsPerExtraTenant);
  log(`crm_lead now holds ${tenantsAfter} tenants`);
  const after = await scalingRounds(targets[1], tenantsAfter);
  await seedRawExtraTenants(RAW_DB, extra, config.scaling.leadsPerExtraTenant);
  const rawAfter = await scalingRounds(targets[0], tenantsAfter);

  const metrics = await nodeMetrics(atriumServer.base);
  log(describe(metrics));
  // Last on this server: its 210,000 leads would change what the scenarios above measure.
  const largeTenantResults = await largeTenant(atriumServer.base, ATRIUM_DB, { ...config.largeTenant, rounds: config.rounds }, log);

  for (const server of servers.splice(0)) await server.stop();
  atriumServer = await startAtrium(ATRIUM_DB);
  servers.push(atriumServer);
  const atriumMemory = await memory(atriumServer, atrium(atriumServer.base), tenants, warmUp, config.memorySockets);
  await atriumServer.stop();
  rawServer = await startRaw(RAW_DB);
  servers.push(rawServer);
  const rawMemory = await memory(rawServer, raw(rawServer.base), tenants, warmUp, config.memorySockets);
  for (const server of servers.splice(0)) await server.stop();
  log('memory measured in fresh processes');

  // Import: one CSV into a new tenant, on PostgreSQL, then on an embedded PGlite in a scratch folder; then
  // that folder is seeded (the server stopped: one owner) and the PGlite create and list rounds run on it.
  const importRows = config.quick ? 2_000 : 10_000;
  const imports: ImportRate[] = [];
  atriumServer = await startAtrium(ATRIUM_DB);
  servers.push(atriumServer);
  imports.push(await importRate(atriumServer.base, 'postgresql', importRows));
  for (const server of servers.splice(0)) await server.stop();
  const pgliteDir = mkdtempSync(join(tmpdir(), 'atrium-bench-pglite-'));
  let pglite: PgliteResults;
  try {
    servers.push(await startAtriumOnPglite(pgliteDir));
    imports.push(await importRate(servers[0].base, 'pglite', importRows));
    for (const server of servers.splice(0)) await server.stop();
    const pgliteTenants = await seedPglite(pgliteDir, config.tenants, config.pglite.leadsPerTenant);
    log(`seeded ${config.tenants} tenants × ${config.pglite.leadsPerTenant} leads in PGlite`);
    servers.push(await startAtriumOnPglite(pgliteDir));
    const options = { rounds: config.rounds, seconds: config.pglite.seconds, leadsPerTenant: config.pglite.leadsPerTenant };
    pglite = await pgliteRounds(servers[0].base, pgliteTenants, options, log);
    for (const server of servers.splice(0)) await server.stop();
  } finally {
    rmSync(pgliteDir, { recursive: true, force: true });
  }
  for (const i of imports)
    log(`import of ${i.rows} rows on ${i.database}: ${i.rowsPerSecond.toFixed(0)} rows/s (${i.seconds.toFixed(1)} s)`);

  const results: RunResults = {
    startedAt,
    quick: config.quick,
    settings: config,
    loadAverage,
    http,
    customFields,
    websocket,
    scaling: { rate, tenantsBefore: config.tenants, tenantsAfter, before, after, raw: { before: rawBefore, after: rawAfter } },
    memory: { raw: rawMemory, atrium: atriumMemory },
    metrics,
    imports,
    largeTenant: largeTenantResults,
    pglite,
    seconds: (performance.now() - started) / 1000,
  };
  const dir = fileURLToPath(new URL('results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log(report(results));
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const server of servers) await server.stop();
  if (!keep) {
    await dropDatabase(ATRIUM_DB);
    await dropDatabase(RAW_DB);
  }
}
