/**
 * What PostgreSQL itself spends on a create, guarantee by guarantee (not part of `npm run bench`): after
 * `npm run bench -- --keep`, runs the statements of bench/floor/*.sql with pgbench (10 clients, one per
 * tenant, prepared statements) and prints transactions a second and PostgreSQL CPU ms per transaction,
 *   node --import tsx bench/floor.ts [seconds]
 * The scripts are the statements Atrium sent on the day they were captured: a floor measured from them
 * says what those statements cost, not what a changed core sends (re-capture them after such a change).
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresSpent, readPostgres } from './cpu.ts';
import { deleteBenchLeads } from './seed.ts';
import { ATRIUM_DB, dbUrl, PG_ADMIN_URL, RAW_DB } from './settings.ts';

const run = promisify(execFile);
const seconds = Number(process.argv[2] ?? 10);
const dir = fileURLToPath(new URL('floor/', import.meta.url));

interface Writer {
  tenant: string;
  user: string;
  stage: string;
}

/** Ten tenants with a salesperson and their first stage, as bench/profile.ts picks them. */
async function writers(): Promise<Writer[]> {
  const client = new pg.Client({ connectionString: dbUrl(ATRIUM_DB) });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT DISTINCT ON (l.tenant_id) l.tenant_id AS tenant, l.salesperson_id AS user, s.id AS stage
      FROM crm_lead l JOIN crm_stage s ON s.tenant_id = l.tenant_id AND s.sequence = 1 WHERE l.salesperson_id IS NOT NULL ORDER BY l.tenant_id LIMIT 10`);
    return rows as Writer[];
  } finally {
    await client.end();
  }
}

/**
 * One pgbench client per tenant, all at once. The backends' CPU is read from 1 s after the start to 1 s
 * before the end (pgbench's backends exit with it), and charged to the transactions of that window.
 */
async function measure(script: string, database: string, tenants: Writer[]): Promise<{ tps: number; cpuMs: number }> {
  const { hostname, port, username } = new URL(PG_ADMIN_URL);
  const outputs = Promise.all(
    tenants.map((w) =>
      run('pgbench', [
        ...['-h', hostname, '-p', port || '5432', '-U', username || 'postgres', '-n', '-M', 'prepared', '-c', '1'],
        ...['-T', String(seconds), '-f', `${dir}${script}`, '-D', `tenant=${w.tenant}`, '-D', `user=${w.user}`, '-D', `stage=${w.stage}`],
        database,
      ]),
    ),
  );
  await sleep(1000);
  const before = readPostgres(database);
  await sleep((seconds - 2) * 1000);
  const spent = postgresSpent(before, readPostgres(database));
  const done = (await outputs).reduce((n, { stdout }) => n + Number(/actually processed: (\d+)/.exec(stdout)?.[1] ?? 0), 0);
  const tps = done / seconds;
  return { tps, cpuMs: spent / (tps * (seconds - 2)) };
}

const tenants = await writers();
const lines = ['| statements | transactions/s | PostgreSQL CPU ms per create | × raw |', '|---|---|---|---|'];
let raw = NaN;
for (const script of readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .sort()) {
  const database = script.includes('raw') ? RAW_DB : ATRIUM_DB;
  const { tps, cpuMs } = await measure(script, database, tenants);
  if (database === RAW_DB) raw = cpuMs;
  lines.push(`| ${script} | ${tps.toFixed(0)} | ${cpuMs.toFixed(3)} | ${(cpuMs / raw).toFixed(2)}× |`);
  await deleteBenchLeads(database, database === RAW_DB ? 'lead' : 'crm_lead');
}
console.log(lines.join('\n'));
