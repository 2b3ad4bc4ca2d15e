/** The Markdown table and the target lines, from the raw numbers of a run. */
import type { LoadResult } from './load.ts';
import { HTTP_SCENARIOS, type HttpResults } from './scenarios/http.ts';
import type { MemoryResult } from './scenarios/memory.ts';
import type { WsResult } from './scenarios/websocket.ts';
import { describe, type NodeMetrics } from './node-metrics.ts';
import { cell, fmt, spreadOf } from './stats.ts';
import type { ImportRate } from './scenarios/import.ts';
import type { CustomFieldResults } from './scenarios/custom-fields.ts';
import { largeTenantRows, largeTenantVerdicts, type LargeTenantResults } from './scenarios/large-tenant.ts';
import { growthPerRound } from './scenarios/scaling.ts';
import type { PgliteResults } from './scenarios/pglite.ts';

export interface RunResults {
  startedAt: string;
  quick: boolean;
  settings: unknown;
  loadAverage: number[];
  http: HttpResults;
  /** A list filtered and sorted on a custom field and on a declared one (scenarios/custom-fields.ts). */
  customFields: CustomFieldResults;
  websocket: { raw: WsResult[]; atrium: WsResult[] };
  /**
   * The list at a fixed rate, config.rounds rounds before the extra tenants and as many after; Atrium's, and the
   * raw baseline's after the same rows went into its table (no target: the machine's own share of a miss).
   */
  scaling: {
    rate: number;
    tenantsBefore: number;
    tenantsAfter: number;
    before: LoadResult[];
    after: LoadResult[];
    raw: { before: LoadResult[]; after: LoadResult[] };
  };
  memory: { raw: MemoryResult; atrium: MemoryResult };
  /** Atrium's /api/metrics after the HTTP, websocket and scaling load. */
  metrics: NodeMetrics;
  /** CSV imports (scenarios/import.ts), on PostgreSQL and on PGlite. */
  imports: ImportRate[];
  /** One tenant of 200,000 leads against one of 10,000 (scenarios/large-tenant.ts). */
  largeTenant?: LargeTenantResults;
  /** Atrium on PGlite: create and list rounds (scenarios/pglite.ts), no target. */
  pglite: PgliteResults;
  seconds: number;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export interface Verdict {
  target: string;
  pass: boolean;
  figure: string;
}

/** Median req/s of raw ÷ median req/s of Atrium. */
const throughputRatio = (r: HttpResults, key: string): number =>
  spreadOf(r[key].raw, (x) => x.rps).median / spreadOf(r[key].atrium, (x) => x.rps).median;

export function verdicts(r: RunResults): Verdict[] {
  const ratio = (key: string, limit: number, what: string): Verdict => {
    const value = throughputRatio(r.http, key);
    return { target: `${what} ≤ ${limit}× (raw ÷ Atrium req/s)`, pass: value <= limit, figure: `${value.toFixed(2)}×` };
  };
  const wsRounds = r.websocket.atrium.map((x) => x.p99);
  const sockets = r.websocket.atrium[0]?.sockets ?? 0;
  const delivered = r.websocket.atrium.reduce((n, x) => n + x.delivered, 0);
  const expected = r.websocket.atrium.reduce((n, x) => n + x.expected, 0);
  const cross = [...r.websocket.atrium, ...r.websocket.raw].reduce((n, x) => n + x.crossTenant, 0);
  const sc = r.scaling;
  const growth = growthPerRound(sc.before, sc.after);
  const p99s = (rounds: LoadResult[]): string => rounds.map((x) => x.p99).join(', ');
  const ratios = (xs: number[]): string => xs.map((x) => `${x.toFixed(2)}×`).join(', ');
  const custom = spreadOf(r.customFields.declared, (x) => x.rps).median / spreadOf(r.customFields.custom, (x) => x.rps).median;
  return [
    ratio('create_10', 1.5, 'create, 10 conn'),
    ratio('create_50', 1.5, 'create, 50 conn'),
    ratio('list', 2, 'list'),
    ratio('groups', 2, 'groups'),
    {
      target: 'list filtered and sorted on a custom field ≤ 1.5× the same on a declared one (req/s)',
      pass: custom <= 1.5,
      figure: `${custom.toFixed(2)}×`,
    },
    {
      target: `websocket p99 ≤ 15 ms at ${sockets} sockets, in every round`,
      pass: wsRounds.every((p99) => p99 <= 15),
      figure: `${wsRounds.map((p99) => p99.toFixed(1)).join(', ')} ms`,
    },
    { target: 'websocket events delivered = expected', pass: delivered === expected, figure: `${delivered}/${expected}` },
    { target: 'websocket cross-tenant events = 0', pass: cross === 0, figure: String(cross) },
    {
      target: `list p99 with ${sc.tenantsAfter} tenants ≤ 1.2× with ${sc.tenantsBefore}, in every round (÷ the median before)`,
      pass: growth.every((g) => g <= 1.2),
      figure: `${ratios(growth)} (before ${p99s(sc.before)} ms; after ${p99s(sc.after)} ms; the raw baseline's own: ${ratios(growthPerRound(sc.raw.before, sc.raw.after))})`,
    },
    { target: 'idle RSS ≤ 200 MB', pass: r.memory.atrium.idleRss <= 200 * 2 ** 20, figure: mb(r.memory.atrium.idleRss) },
    {
      target: '≤ 20 KB per idle socket (heap after GC)',
      pass: r.memory.atrium.perSocket <= 20 * 1024,
      figure: `${kb(r.memory.atrium.perSocket)} (${r.memory.atrium.sockets} sockets)`,
    },
    ...largeTenantVerdicts(r.largeTenant),
  ];
}

/** Atrium on PGlite, under the PostgreSQL rows: Atrium's columns only, no ratio (other data, no target). */
function pgliteRows(p: PgliteResults): string[] {
  const rows: [string, LoadResult[]][] = [
    ['POST create lead, 10 conn', p.create],
    ['GET list, newest 50 + total, 10 conn', p.list],
  ];
  return rows.map(
    ([label, rounds]) =>
      `| PGlite: ${label}, ${p.tenants} tenants × ${p.leadsPerTenant} leads | – | ${cell(spreadOf(rounds, (x) => x.rps))} | – | ${cell(spreadOf(rounds, (x) => x.p50))} | – | ${cell(spreadOf(rounds, (x) => x.p99))} | no target |`,
  );
}

export function table(r: RunResults): string {
  const lines = [
    '| scenario | raw req/s | Atrium req/s | raw p50 ms | Atrium p50 ms | raw p99 ms | Atrium p99 ms | raw ÷ Atrium |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of HTTP_SCENARIOS) {
    const { raw, atrium } = r.http[s.key];
    lines.push(
      `| ${s.label} | ${cell(spreadOf(raw, (x) => x.rps))} | ${cell(spreadOf(atrium, (x) => x.rps))} | ${cell(spreadOf(raw, (x) => x.p50))} | ${cell(spreadOf(atrium, (x) => x.p50))} | ${cell(spreadOf(raw, (x) => x.p99))} | ${cell(spreadOf(atrium, (x) => x.p99))} | ${throughputRatio(r.http, s.key).toFixed(2)}× req/s |`,
    );
  }
  lines.push(...pgliteRows(r.pglite));
  const ws = r.websocket;
  const wsRaw = spreadOf(ws.raw, (x) => x.p99);
  const wsAtrium = spreadOf(ws.atrium, (x) => x.p99);
  const first = ws.atrium[0];
  const deliveredOf = (items: WsResult[]): string =>
    `${items.reduce((n, x) => n + x.delivered, 0)}/${items.reduce((n, x) => n + x.expected, 0)} delivered, ${items.reduce((n, x) => n + x.crossTenant, 0)} cross-tenant`;
  lines.push(
    `| websocket write → receipt, ${first?.sockets} sockets / ${first?.tenants} tenants, ${first ? Math.round(first.writes / 1) : 0} writes a round | ${deliveredOf(ws.raw)} | ${deliveredOf(ws.atrium)} | ${cell(
      spreadOf(ws.raw, (x) => x.p50),
      1,
    )} | ${cell(
      spreadOf(ws.atrium, (x) => x.p50),
      1,
    )} | ${cell(wsRaw, 1)} | ${cell(wsAtrium, 1)} | ${(wsRaw.median / wsAtrium.median).toFixed(2)}× p99 |`,
  );
  const sc = r.scaling;
  const scalingRow = (atrium: LoadResult[], raw: LoadResult[], tenants: number, last: string): string =>
    `| list at ${sc.rate} req/s, ${tenants} tenants in the table | – | ${cell(spreadOf(atrium, (x) => x.rps))} | ${cell(spreadOf(raw, (x) => x.p50))} | ${cell(spreadOf(atrium, (x) => x.p50))} | ${cell(spreadOf(raw, (x) => x.p99))} | ${cell(spreadOf(atrium, (x) => x.p99))} | ${last} |`;
  lines.push(scalingRow(sc.before, sc.raw.before, sc.tenantsBefore, '–'));
  const worst = (before: LoadResult[], after: LoadResult[]): string => `${Math.max(...growthPerRound(before, after)).toFixed(2)}×`;
  lines.push(
    scalingRow(
      sc.after,
      sc.raw.after,
      sc.tenantsAfter,
      `${worst(sc.before, sc.after)} p99 (worst round after ÷ median before; raw ${worst(sc.raw.before, sc.raw.after)})`,
    ),
  );
  lines.push(...largeTenantRows(r.largeTenant));
  const m = r.memory;
  lines.push(
    `| server RSS, idle (fresh process) | ${mb(m.raw.idleRss)} | ${mb(m.atrium.idleRss)} | | | | | ${(m.raw.idleRss / m.atrium.idleRss).toFixed(2)}× |`,
  );
  lines.push(
    `| heap + external per idle socket, after GC (${m.atrium.sockets} sockets) | ${kb(m.raw.perSocket)} | ${kb(m.atrium.perSocket)} | | | | | ${(m.raw.perSocket / m.atrium.perSocket).toFixed(2)}× |`,
  );
  lines.push(
    `| RSS per idle socket, for information (same readings) | ${kb(m.raw.perSocketRss)} | ${kb(m.atrium.perSocketRss)} | | | | | ${(m.raw.perSocketRss / m.atrium.perSocketRss).toFixed(2)}× |`,
  );
  return lines.join('\n');
}

/**
 * CPU per request on each side (median of the rounds): where a request's cost lies, and the ceiling it sets
 * on 2 cores whatever the waits (cores × 1000 ÷ the three sides' ms is the most requests a second the machine
 * can serve).
 */
export function cpuTable(r: RunResults): string {
  const lines = [
    '| scenario | raw server ms | raw PostgreSQL ms | raw load ms | Atrium server ms | Atrium PostgreSQL ms | Atrium load ms | Atrium ÷ raw (all three) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const sides = (items: LoadResult[]): [number, number, number] => [
    spreadOf(items, (x) => x.cpu?.server ?? NaN).median,
    spreadOf(items, (x) => x.cpu?.postgres ?? NaN).median,
    spreadOf(items, (x) => x.cpu?.client ?? NaN).median,
  ];
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  for (const s of HTTP_SCENARIOS) {
    const raw = sides(r.http[s.key].raw);
    const atrium = sides(r.http[s.key].atrium);
    lines.push(`| ${s.label} | ${[...raw, ...atrium].map((x) => fmt(x, 2)).join(' | ')} | ${fmt(sum(atrium) / sum(raw), 2)}× |`);
  }
  return lines.join('\n');
}

export function report(r: RunResults): string {
  const verdictLines = verdicts(r).map((v) => `${v.pass ? 'PASS' : 'MISS'}  ${v.target}: ${v.figure}`);
  const header = `Atrium bench, ${r.startedAt}, ${r.quick ? 'quick' : 'full'} run in ${Math.round(r.seconds)} s, load average before ${r.loadAverage.map((x) => x.toFixed(2)).join(' ')}; cells: median (min–max) of ${r.http.list.raw.length} rounds`;
  const importLines = r.imports.map(
    (i) => `Import of ${i.rows} rows on ${i.database}: ${fmt(i.rowsPerSecond)} rows/s (${fmt(i.seconds, 1)} s)`,
  );
  return `${header}\n\n${table(r)}\n\nCPU per request (ms):\n\n${cpuTable(r)}\n\n${describe(r.metrics)}\n\n${importLines.join('\n')}\n\n${verdictLines.join('\n')}\n`;
}
