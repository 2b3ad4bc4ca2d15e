import { randomUUID } from 'node:crypto';
import { sql } from '../../store/sql.ts';
import { PollingLoop, type PassResult } from '../events/polling-loop.ts';
import type { Platform } from '../platform.ts';
import { TenantRecordsInTransaction } from '../records/tenant-records.ts';
import { WriteUnit } from '../records/write-unit.ts';
import { tenantSystemScope } from '../tenancy/tenant-system-scope.ts';
import type { AutomationRunner } from './automation-runner.ts';

interface ClaimedJob {
  tenant_id: string;
  automation_id: string;
  record_id: string;
}

// A claimed job is leased for this long: if its node dies meanwhile, another node claims it again after.
const LEASE = '5 minutes';
const BATCH = 10;

/**
 * Time-based automations, run exactly once across nodes: each node claims due jobs with FOR UPDATE SKIP
 * LOCKED under a claim token of its own and a lease; the automation then runs in a tenant transaction
 * that first marks the job done under that token. A job whose lease ran out was claimed again by another
 * node, so the late node's mark finds no row and its transaction does nothing: effects commit once.
 */
export class TimeJobs extends PollingLoop {
  constructor(
    private readonly platform: Platform,
    private readonly runner: AutomationRunner,
  ) {
    super('time-based automations', platform.log, platform.config.automations.pollSeconds * 1000);
  }

  /** One pass: claims up to a batch of due jobs and runs them. */
  async pass(): Promise<PassResult> {
    const claim = randomUUID();
    const jobs = await this.platform.db.system<ClaimedJob>(sql`UPDATE core_automation_jobs j
      SET status = 'running', claim = ${claim}::uuid, lease_until = now() + ${LEASE}::interval
      FROM (SELECT tenant_id, automation_id, record_id FROM core_automation_jobs
        WHERE (status = 'pending' AND due_at <= now()) OR (status = 'running' AND lease_until < now())
        ORDER BY due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) due
      WHERE j.tenant_id = due.tenant_id AND j.automation_id = due.automation_id AND j.record_id = due.record_id
      RETURNING j.tenant_id, j.automation_id, j.record_id`);
    for (const job of jobs) await this.run(job, claim);
    return { handled: jobs.length, batch: BATCH };
  }

  private async run(job: ClaimedJob, claim: string): Promise<void> {
    await this.platform.db.transaction(job.tenant_id, async (tx) => {
      const [mine] = await tx.rows(sql`UPDATE core_automation_jobs SET status = 'done', lease_until = NULL
        WHERE tenant_id = ${job.tenant_id}::uuid AND automation_id = ${job.automation_id}::uuid AND record_id = ${job.record_id}::uuid
          AND claim = ${claim}::uuid AND status = 'running' RETURNING 1 AS mine`);
      if (!mine) return; // claimed again by another node after the lease ran out: its run, not ours
      const scope = await tenantSystemScope(this.platform, tx, job.tenant_id);
      const unit = new WriteUnit(tx);
      const records = new TenantRecordsInTransaction(scope, unit);
      const automation = (await this.runner.cache.of(job.tenant_id, tx)).find((a) => a.id === job.automation_id);
      if (automation) await this.runner.due(scope, unit, automation, job.record_id);
      await records.commit();
    });
  }
}
