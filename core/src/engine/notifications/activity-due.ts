import { sql } from '../../store/sql.ts';
import { PollingLoop, type PassResult } from '../events/polling-loop.ts';
import type { Platform } from '../platform.ts';
import { notify } from './notify.ts';

interface Due {
  tenant_id: string;
  ids: string[];
}

interface Claimed {
  id: string;
  model: string;
  record_id: string;
  assigned_to: string;
  summary: string;
}

/** Activities looked at per pass; a full pass runs again at once. */
const BATCH = 100;

/**
 * Tells an open activity's assignee, once, when its due day (UTC) has come: a notification `activity_due`
 * in the inbox and live. Every node runs it; an activity is claimed (FOR UPDATE SKIP LOCKED, `due_notified_at`
 * set) in the tenant transaction that writes its notification, so two nodes never tell it twice and a crash
 * tells it later, never twice. One scheduled already due was told when scheduled (see scheduleActivity).
 */
export class ActivityDue extends PollingLoop {
  constructor(private readonly platform: Platform) {
    super('activity due notifications', platform.log, platform.config.mail.pollSeconds * 1000);
  }

  /** One pass over the activities due now; answers how many it notified. */
  async pass(): Promise<PassResult> {
    const due = await this.platform.db.system<Due>(sql`SELECT tenant_id, array_agg(id) AS ids FROM (SELECT tenant_id, id
      FROM core_activities WHERE done_at IS NULL AND due_notified_at IS NULL AND due <= current_date ORDER BY due LIMIT ${BATCH}) d
      GROUP BY tenant_id`);
    let handled = 0;
    for (const tenant of due) handled += await this.notifyTenant(tenant);
    return { handled, batch: BATCH };
  }

  private notifyTenant({ tenant_id: tenantId, ids }: Due): Promise<number> {
    return this.platform.db.transaction(tenantId, async (tx) => {
      const claimed = await tx.rows<Claimed>(sql`UPDATE core_activities SET due_notified_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND id IN (SELECT id FROM core_activities WHERE tenant_id = ${tenantId}::uuid
          AND id = ANY(${ids}::uuid[]) AND done_at IS NULL AND due_notified_at IS NULL FOR UPDATE SKIP LOCKED)
        RETURNING id, model, record_id, assigned_to, summary`);
      for (const activity of claimed)
        notify(tx, this.platform.bus, {
          tenantId,
          userId: activity.assigned_to,
          kind: 'activity_due',
          model: activity.model,
          recordId: activity.record_id,
          actorId: null,
          body: activity.summary.slice(0, 200),
        });
      return claimed.length;
    });
  }
}
