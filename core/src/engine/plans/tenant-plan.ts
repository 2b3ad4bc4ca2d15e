import { AtriumError } from '../../kernel/errors.ts';
import { planNamed, type Plan, type Plans } from '../../kernel/plans.ts';
import type { Database } from '../../store/database.ts';
import { sql, type Sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';

/** The tenant's plan (the default one while it has none, or when its plan is no longer declared). */
export async function tenantPlan(db: Database, plans: Plans, tenantId: string): Promise<Plan> {
  const [row] = await db.batch(tenantId, [sql`SELECT plan FROM core_tenants WHERE id = ${tenantId}::uuid`]);
  return planNamed(plans, row.rows[0]?.plan as string | null | undefined);
}

/**
 * Puts a tenant on a plan (for the operator and billing: the runtime role may not). Takes effect with the
 * next request, on every node: the bus's `tenant` message drops the cached sessions, whose plan says which
 * limits a write checks (plan-limit-sql.ts), and each limit is then read from the tenant's row inside the
 * write's transaction. A plan below the
 * tenant's usage deletes nothing; it refuses new writes of that kind (`402 plan_limit`) until usage is
 * back under it or the plan goes up. 400 naming `plan` for a plan not declared; 404 for no such tenant.
 */
export async function setTenantPlan(
  platform: Pick<Platform, 'db' | 'bus' | 'config'>,
  tenantId: string,
  plan: string,
  /** Written in the same transaction (the operator's audit row). */
  alongside: Sql[] = [],
): Promise<Plan> {
  const { db, bus, config } = platform;
  const { plans } = config;
  if (!plans.list.has(plan))
    throw AtriumError.invalidField('plan', 'enum', `must be one of ${[...plans.list.keys()].map((p) => `"${p}"`).join(', ')}`);
  await db.transaction('system', async (tx) => {
    const [row] = await tx.query(sql`UPDATE core_tenants SET plan = ${plan}, updated_at = now() WHERE id = ${tenantId}::uuid RETURNING id`);
    if (row.rows.length === 0) throw AtriumError.notFound('Unknown tenant');
    if (alongside.length > 0) await tx.commit(...alongside);
  });
  await bus.control({ kind: 'tenant', tenantId });
  return plans.list.get(plan)!;
}
