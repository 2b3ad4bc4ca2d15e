/** What one run does: the full run (about 8 minutes) or `--quick` (about a minute, for development). */
export interface Settings {
  quick: boolean;
  rounds: number;
  /** Seconds of each autocannon measurement. */
  seconds: number;
  tenants: number;
  leadsPerTenant: number;
  ws: { tenants: number; sockets: number; writesPerSecond: number; seconds: number };
  scaling: { tenants: number; leadsPerExtraTenant: number; seconds: number };
  memorySockets: number;
  /** Leads of the large and of the small tenant (scenarios/large-tenant.ts), and seconds a measurement. */
  largeTenant: { large: number; small: number; seconds: number };
  /** Atrium on its embedded PGlite (scenarios/pglite.ts): the loaded tenants' count, fewer leads each, shorter rounds. */
  pglite: { leadsPerTenant: number; seconds: number };
}

/** The plan of the bench's tenants: one without limits unless BENCH_PLAN names one (to measure what checking a limit costs a write). */
export const BENCH_PLAN = process.env.BENCH_PLAN ?? 'business';

export function settings(argv: string[]): Settings {
  const quick = argv.includes('--quick');
  return quick
    ? {
        quick,
        rounds: 3,
        seconds: 2,
        tenants: 10,
        leadsPerTenant: 2_000,
        ws: { tenants: 20, sockets: 200, writesPerSecond: 40, seconds: 3 },
        scaling: { tenants: 1_000, leadsPerExtraTenant: 20, seconds: 2 },
        memorySockets: 200,
        largeTenant: { large: 40_000, small: 2_000, seconds: 3 },
        pglite: { leadsPerTenant: 2_000, seconds: 2 },
      }
    : {
        quick,
        rounds: 3,
        seconds: 8,
        tenants: 10,
        leadsPerTenant: 10_000,
        ws: { tenants: 100, sockets: 1_000, writesPerSecond: 50, seconds: 10 },
        scaling: { tenants: 10_000, leadsPerExtraTenant: 50, seconds: 5 },
        memorySockets: 1_000,
        largeTenant: { large: 200_000, small: 10_000, seconds: 8 },
        pglite: { leadsPerTenant: 2_000, seconds: 5 },
      };
}

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const ATRIUM_DB = 'atrium_bench';
export const RAW_DB = 'atrium_bench_raw';
export const dbUrl = (name: string): string => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};
export const ATRIUM_PORT = 3901;
export const RAW_PORT = 3902;
/** Token signing key shared by the bench (which signs the users' tokens) and the Atrium server. */
export const SECRET = 'atrium-bench-secret-0123456789abcdef0123456789abcdef';
/** Atrium runs with its metrics on, read once after the load (node-metrics.ts). */
export const METRICS_TOKEN = 'atrium-bench-metrics';
