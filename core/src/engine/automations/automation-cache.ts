import type { Transaction } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';
import type { Automation } from './automation-types.ts';

// A backstop only: a change is pushed to every node at once (a control message of the tenant); this bounds a missed one.
const TTL_MS = 60_000;

/**
 * The active automations of each tenant, on this node: a write asks here (no round trip once loaded) whether
 * anything must run. Loaded inside the asking transaction (row-level security keeps it to the tenant);
 * invalidated on every node when the tenant's automations change.
 */
export class AutomationCache {
  private readonly byTenant = new Map<string, { automations: Automation[]; loadedAt: number }>();
  /** Counts invalidations, so that a read in flight across one does not put what it read back in the cache. */
  private invalidations = 0;

  invalidate(tenantId: string): void {
    this.invalidations++;
    this.byTenant.delete(tenantId);
  }

  async of(tenantId: string, tx: Transaction): Promise<Automation[]> {
    const cached = this.byTenant.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.automations;
    const invalidations = this.invalidations;
    const automations = await tx.rows<Automation>(
      sql`SELECT id, name, model, trigger, actions, active FROM core_automations WHERE tenant_id = ${tenantId}::uuid AND active ORDER BY created_at, id`,
    );
    if (invalidations === this.invalidations) this.byTenant.set(tenantId, { automations, loadedAt: Date.now() });
    return automations;
  }
}
