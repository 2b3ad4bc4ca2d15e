/**
 * Large tenants: one tenant with 200,000 leads against one with 10,000 (40,000 and 2,000 with `--quick`),
 * the same shapes (customers with varied names, leads spread over the stages), each query at a fixed
 * rate below saturation so that p99 measures a request rather than a queue, in rounds that alternate the two
 * tenants. The target: the large tenant's median p99 within 2× of the small one's, for the list page, the
 * kanban groups and a search.
 */
import { load, type HttpRequest, type LoadResult } from '../load.ts';
import { pacedLoad } from '../paced-load.ts';
import { seedAtriumTenants, withClient, type BenchTenant } from '../seed.ts';
import { dbUrl } from '../settings.ts';
import { cell, median, spreadOf } from '../stats.ts';

/** The term typed in the search box: in one lead product word and one customer prefix (~3 % of the leads each). */
const TERM = 'nova';
const PRODUCTS = [
  'Chairs',
  'Desks',
  'Lamps',
  'Shelves',
  'Printers',
  'Laptops',
  'Monitors',
  'Cables',
  'Servers',
  'Phones',
  'Tablets',
  'Routers',
  'Sofas',
  'Carpets',
  'Curtains',
  'Heaters',
  'Fans',
  'Lockers',
  'Benches',
  'Boards',
  'Projectors',
  'Speakers',
  'Headsets',
  'Cameras',
  'Scanners',
  'Badges',
  'Mugs',
  'Plants',
  'Clocks',
  'Nova licences',
];
const ADJECTIVES = ['Office', 'Spare', 'Premium', 'Used', 'Refurbished', 'Bulk', 'Custom'];
const PREFIXES = [
  'Azure',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Acme',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Cyberdyne',
  'Tyrell',
  'Wonka',
  'Gringotts',
  'Oscorp',
  'Massive',
  'Dunder',
  'Prestige',
  'Monarch',
  'Sterling',
  'Pied',
  'Bluth',
  'Krusty',
  'Duff',
  'Gekko',
  'Oceanic',
  'Virtucon',
  'Zorg',
  'Aperture',
  'Novatek',
];
const SUFFIXES = ['Interior', 'Trading', 'Systems', 'Foods', 'Labs', 'Logistics', 'Partners', 'Holdings', 'Works', 'Group'];

export type LargeTenantQuery = 'list' | 'groups' | 'search';
export const LARGE_TENANT_QUERIES: { key: LargeTenantQuery; label: string }[] = [
  { key: 'list', label: 'list page, newest 50 + total' },
  { key: 'groups', label: 'kanban groups (count, sum)' },
  { key: 'search', label: `search "${TERM}" in name or customer, newest 50 + total` },
];

export interface LargeTenantResults {
  large: number;
  small: number;
  /** Per query: the rate both tenants were measured at, and their rounds' results. */
  queries: Record<LargeTenantQuery, LargeTenantQueryResults>;
}

interface LargeTenantQueryResults {
  rate: number;
  large: LoadResult[];
  small: LoadResult[];
}

/** What the shell's search box sends for these two fields (kit-ui filter-build.ts `containsText`, OR-ed). */
const searchFilter = { $or: ['name', 'customer'].map((field) => ({ [field]: { $ilike: `%${TERM}%` } })) };

function request(query: LargeTenantQuery, tenant: BenchTenant): HttpRequest {
  const headers = { authorization: `Bearer ${tenant.users[0].token}` };
  if (query === 'groups') return { method: 'GET', path: '/api/records/crm.lead/groups?by=stage&sum=expected_revenue', headers };
  const filter = query === 'search' ? `&filter=${encodeURIComponent(JSON.stringify(searchFilter))}` : '';
  return { method: 'GET', path: `/api/records/crm.lead?sort=-created_at&limit=50${filter}`, headers };
}

/**
 * `leads` leads for the tenant, owned by its first user, and one customer (a company) for every 40 of
 * them, named from word lists so that a search term matches a few per cent.
 */
async function seedTenant(db: string, tenant: BenchTenant, leads: number): Promise<void> {
  await withClient(dbUrl(db), async (c) => {
    await c.query(
      `INSERT INTO contacts_partner (tenant_id, id, name, display_name, is_company, archived)
       SELECT $1, gen_random_uuid(), n, n, true, false
       FROM (SELECT p[1 + g % array_length(p, 1)] || ' ' || s[1 + (g / array_length(p, 1)) % array_length(s, 1)] || ' ' || g AS n
             FROM generate_series(1, $2::int) g, (SELECT $3::text[] AS p, $4::text[] AS s) w) names`,
      [tenant.id, Math.max(1, Math.round(leads / 40)), PREFIXES, SUFFIXES],
    );
    await c.query(
      `INSERT INTO crm_lead (tenant_id, id, name, customer_id, stage_id, expected_revenue, probability, priority, salesperson_id,
                             archived, created_at, updated_at, created_by, updated_by)
       SELECT $1, gen_random_uuid(), a[1 + g % array_length(a, 1)] || ' ' || pr[1 + (g / array_length(a, 1)) % array_length(pr, 1)],
              cu.ids[1 + (g * 7919) % array_length(cu.ids, 1)], st.ids[1 + g % array_length(st.ids, 1)],
              (g % 997) * 12.5, (g % 10) * 10, (g % 4)::text, $2, false,
              now() - g * interval '1 second', now() - g * interval '1 second', $2, $2
       FROM generate_series(1, $3::int) g,
            (SELECT array_agg(id ORDER BY sequence) AS ids FROM crm_stage WHERE tenant_id = $1) st,
            (SELECT array_agg(id ORDER BY name) AS ids FROM contacts_partner WHERE tenant_id = $1) cu,
            (SELECT $4::text[] AS a, $5::text[] AS pr) w`,
      [tenant.id, tenant.users[0].id, leads, ADJECTIVES, PRODUCTS],
    );
  });
}

/** Seeds the two tenants (after every other scenario has its data), then measures each query on both. */
export async function largeTenant(
  base: string,
  db: string,
  sizes: { large: number; small: number; seconds: number; rounds: number },
  log: (line: string) => void,
): Promise<LargeTenantResults> {
  const [large, small] = await seedAtriumTenants(db, 2);
  await seedTenant(db, large, sizes.large);
  await seedTenant(db, small, sizes.small);
  await withClient(dbUrl(db), async (c) => {
    await c.query('VACUUM ANALYZE contacts_partner');
    await c.query('VACUUM ANALYZE crm_lead');
  });
  log(`large tenant: seeded ${sizes.large} and ${sizes.small} leads`);
  return measureLargeTenant(base, { large, small }, sizes, log);
}

/**
 * Each query on both tenants, after a warm-up of each, in rounds that alternate which goes first. One round's p99
 * is the few slowest requests of a few hundred, so one stall of the shared machine decides it; the target compares
 * the tenants' medians, as the other scenarios compare rounds (a single pair of measurements missed by 14× once).
 */
export async function measureLargeTenant(
  base: string,
  { large, small }: { large: BenchTenant; small: BenchTenant },
  sizes: { large: number; small: number; seconds: number; rounds: number },
  log: (line: string) => void,
): Promise<LargeTenantResults> {
  const measure = async (query: LargeTenantQuery, tenant: BenchTenant, rate: number, seconds: number): Promise<LoadResult> =>
    pacedLoad(base, { rate, seconds, next: () => request(query, tenant) });
  const queries = {} as LargeTenantResults['queries'];
  for (const { key } of LARGE_TENANT_QUERIES) {
    // Half of what one connection gets through on the large tenant: below saturation for both tenants.
    const probe = await load(base, { connections: 1, seconds: 1, next: () => request(key, large) });
    const rate = Math.max(2, Math.round(probe.rps / 2));
    // At least 50 requests, so that p99 is not simply the slowest of a handful.
    const seconds = Math.max(sizes.seconds, Math.ceil(50 / rate));
    await measure(key, small, rate, 1);
    await measure(key, large, rate, 1);
    const result: LargeTenantQueryResults = { rate, large: [], small: [] };
    for (let round = 1; round <= sizes.rounds; round++) {
      for (const size of round % 2 === 1 ? (['small', 'large'] as const) : (['large', 'small'] as const))
        result[size].push(await measure(key, size === 'small' ? small : large, rate, seconds));
      const last = (size: 'small' | 'large'): number => result[size][round - 1].p99;
      log(
        `round ${round} large tenant ${key} at ${rate} req/s: p99 ${last('small')} ms (${sizes.small}) → ${last('large')} ms (${sizes.large})`,
      );
    }
    queries[key] = result;
  }
  return { large: sizes.large, small: sizes.small, queries };
}

const ratio = (q: LargeTenantQueryResults): number => median(q.large.map((x) => x.p99)) / median(q.small.map((x) => x.p99));

/** The table's rows: one per query and tenant, each cell the median (min–max) of the rounds. */
export function largeTenantRows(r: LargeTenantResults | undefined): string[] {
  if (!r) return [];
  return LARGE_TENANT_QUERIES.flatMap(({ key, label }) => {
    const q = r.queries[key];
    const row = (leads: number, rounds: LoadResult[], last: string): string => {
      const of = (pick: (x: LoadResult) => number): string => cell(spreadOf(rounds, pick));
      return `| ${label} at ${q.rate} req/s, one tenant of ${leads} leads | – | ${of((x) => x.rps)} | – | ${of((x) => x.p50)} | – | ${of((x) => x.p99)} | ${last} |`;
    };
    return [row(r.small, q.small, '–'), row(r.large, q.large, `${ratio(q).toFixed(2)}× median p99 (large ÷ small)`)];
  });
}

/** One verdict per query: the large tenant's median p99 within 2× of the small one's. */
export function largeTenantVerdicts(r: LargeTenantResults | undefined): { target: string; pass: boolean; figure: string }[] {
  if (!r) return [];
  return LARGE_TENANT_QUERIES.map(({ key, label }) => {
    const q = r.queries[key];
    const failures = [...q.large, ...q.small].reduce((n, x) => n + x.failures, 0);
    const p99s = (rounds: LoadResult[]): string => rounds.map((x) => x.p99).join(', ');
    return {
      target: `${label}: median p99 with ${r.large} leads ≤ 2× with ${r.small}`,
      pass: ratio(q) <= 2 && failures === 0,
      figure: `${ratio(q).toFixed(2)}× (rounds ${p99s(q.small)} → ${p99s(q.large)} ms)${failures ? `, ${failures} failed requests` : ''}`,
    };
  });
}
