import { sql } from '../../store/sql.ts';
import { PollingLoop } from '../events/polling-loop.ts';
import type { Platform } from '../platform.ts';

interface DueDelivery {
  tenant_id: string;
  id: string;
  url: string;
  body: string;
  signature: string;
  attempts: number;
}

// A claimed delivery is leased for this long: if its node dies while posting, another node retries it after.
const LEASE = '5 minutes';
const MAX_DELAY_SECONDS = 3600;
const BATCH = 10;

/**
 * POSTs the webhook outbox after commit, on every node: due rows are claimed with FOR UPDATE SKIP LOCKED
 * (no two nodes post the same delivery at once) and leased while posting. A 2xx answer delivers it; any
 * other answer, a network error or a timeout is retried with doubling delays, and after the last attempt
 * the delivery is dead — kept, with its last error, for the admin (GET /api/admin/automations/deliveries).
 */
export class WebhookDelivery {
  private readonly loop: PollingLoop;

  constructor(private readonly platform: Platform) {
    this.loop = new PollingLoop('webhook delivery', platform.log, async () => {
      const due = await this.claim();
      await Promise.all(due.map((delivery) => this.post(delivery)));
      return { handled: due.length, batch: BATCH };
    });
  }

  start(): void {
    this.loop.start(this.platform.config.automations.pollSeconds * 1000);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  private claim(): Promise<DueDelivery[]> {
    return this.platform.db
      .system<DueDelivery>(sql`UPDATE core_webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + ${LEASE}::interval
      FROM (SELECT tenant_id, id FROM core_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) due
      WHERE d.tenant_id = due.tenant_id AND d.id = due.id
      RETURNING d.tenant_id, d.id, d.url, d.body, d.signature, d.attempts`);
  }

  private async post(delivery: DueDelivery): Promise<void> {
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Atrium-Webhook',
          'x-atrium-signature': delivery.signature,
          'x-atrium-delivery': delivery.id,
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.platform.config.automations.webhookTimeoutMs),
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
    } catch (failure) {
      error = (failure as Error).message;
    }
    const where = sql`tenant_id = ${delivery.tenant_id}::uuid AND id = ${delivery.id}::uuid`;
    if (error === null) {
      await this.platform.db.batch(delivery.tenant_id, [
        sql`UPDATE core_webhook_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE ${where}`,
      ]);
      return;
    }
    const { webhookRetrySeconds, webhookMaxAttempts } = this.platform.config.automations;
    const delay = Math.min(webhookRetrySeconds * 2 ** (delivery.attempts - 1), MAX_DELAY_SECONDS);
    this.platform.log.warn(
      { tenant: delivery.tenant_id, delivery: delivery.id, attempts: delivery.attempts, reason: error },
      'webhook refused',
    );
    await this.platform.db.batch(delivery.tenant_id, [
      sql`UPDATE core_webhook_deliveries SET last_error = ${error.slice(0, 1000)},
        status = CASE WHEN attempts >= ${webhookMaxAttempts} THEN 'dead' ELSE 'pending' END, next_attempt_at = now() + ${delay} * interval '1 second'
      WHERE ${where}`,
    ]);
  }
}
