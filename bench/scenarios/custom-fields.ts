/**
 * Custom fields: a tenant's list filtered and sorted on a custom field (its value in the row's `custom`
 * jsonb, with the per-tenant expression index the core builds) against the same list on a declared column
 * with the same values. Each tenant's admin defines `x_revenue` (money) through the API; its values are
 * copied from `expected_revenue` in SQL. Alternating rounds, as the HTTP scenarios; target: within 1.5×.
 */
import { load, type HttpRequest, type LoadResult } from '../load.ts';
import { withClient, type BenchTenant } from '../seed.ts';
import { dbUrl } from '../settings.ts';

export interface CustomFieldResults {
  declared: LoadResult[];
  custom: LoadResult[];
}

const listOn =
  (field: string) =>
  (tenant: BenchTenant): HttpRequest => ({
    method: 'GET',
    path: `/api/records/crm.lead?filter=${encodeURIComponent(JSON.stringify({ [field]: { $gte: 6000 } }))}&sort=-${field}&limit=50`,
    headers: { authorization: `Bearer ${tenant.users[0].token}` },
  });

function rotatingOn(request: (tenant: BenchTenant) => HttpRequest, tenants: BenchTenant[]): () => HttpRequest {
  let i = 0;
  return () => request(tenants[i++ % tenants.length]);
}

/** Defines the field in every tenant (as its admin, through the API) and fills it like `expected_revenue`. */
export async function seedCustomField(base: string, db: string, tenants: BenchTenant[]): Promise<void> {
  for (const tenant of tenants) {
    const admin = tenant.users.find((u) => u.role === 'admin')!;
    const response = await fetch(`${base}/api/admin/custom-fields`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'crm.lead', name: 'x_revenue', type: 'money', label: 'Revenue (custom)' }),
    });
    if (response.status !== 201) throw new Error(`custom field bench: ${response.status} ${await response.text()}`);
  }
  await withClient(dbUrl(db), async (c) => {
    await c.query(
      `UPDATE crm_lead SET custom = custom || jsonb_build_object('x_revenue', expected_revenue) WHERE tenant_id = ANY($1::uuid[])`,
      [tenants.map((t) => t.id)],
    );
    await c.query('VACUUM ANALYZE crm_lead');
  });
}

export async function customFieldRounds(
  base: string,
  tenants: BenchTenant[],
  rounds: number,
  seconds: number,
  progress: (line: string) => void,
): Promise<CustomFieldResults> {
  const results: CustomFieldResults = { declared: [], custom: [] };
  const kinds = [
    ['declared', listOn('expected_revenue')],
    ['custom', listOn('x_revenue')],
  ] as const;
  for (const [, request] of kinds) await load(base, { connections: 10, seconds: 1, next: rotatingOn(request, tenants) });
  for (let round = 1; round <= rounds; round++) {
    for (const [kind, request] of round % 2 === 1 ? kinds : [...kinds].reverse()) {
      const result = await load(base, { connections: 10, seconds, next: rotatingOn(request, tenants) });
      results[kind].push(result);
      progress(
        `round ${round} list on a ${kind.padEnd(8)} field ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`,
      );
    }
  }
  return results;
}
