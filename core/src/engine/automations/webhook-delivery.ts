import { sql } from '../../store/sql.ts';
import { PollingLoop, type PassResult } from '../events/polling-loop.ts';
import { claimSetSql, DELIVERY_BATCH, dueRowsSql, refusedSql } from '../events/delivery-retry.ts';
import type { Platform } from '../platform.ts';
import { postWebhook } from './webhook-post.ts';

interface DueDelivery {
  tenant_id: string;
  id: string;
  url: string;
  body: string;
  signature: string;
  attempts: number;
}

/**
 * POSTs the webhook outbox after commit, on every node: due rows are claimed with FOR UPDATE SKIP LOCKED
 * (no two nodes post the same delivery at once) and leased while posting. A 2xx answer delivers it; any
 * other answer, a network error or a timeout is retried with doubling delays, and after the last attempt
 * the delivery is dead — kept, with its last error, for the admin (GET /api/admin/automations/deliveries).
 */
export class WebhookDelivery extends PollingLoop {
  constructor(private readonly platform: Platform) {
    super('webhook delivery', platform.log, platform.config.automations.pollSeconds * 1000);
  }

  async pass(): Promise<PassResult> {
    const due = await this.claim();
    await Promise.all(due.map((delivery) => this.post(delivery)));
    return { handled: due.length, batch: DELIVERY_BATCH };
  }

  private claim(): Promise<DueDelivery[]> {
    return this.platform.db.system<DueDelivery>(sql`UPDATE core_webhook_deliveries d SET ${claimSetSql('d')}
      FROM ${dueRowsSql('core_webhook_deliveries')}
      WHERE d.tenant_id = due.tenant_id AND d.id = due.id
      RETURNING d.tenant_id, d.id, d.url, d.body, d.signature, d.attempts`);
  }

  private async post(delivery: DueDelivery): Promise<void> {
    let error: string | null = null;
    try {
      const { webhookTimeoutMs, webhookPrivateNetworks } = this.platform.config.automations;
      const status = await postWebhook({
        url: delivery.url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Atrium-Webhook',
          'x-atrium-signature': delivery.signature,
          'x-atrium-delivery': delivery.id,
        },
        body: delivery.body,
        timeoutMs: webhookTimeoutMs,
        privateNetworks: webhookPrivateNetworks,
      });
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (failure) {
      error = (failure as Error).message;
    }
    if (error === null) {
      await this.platform.db.batch(delivery.tenant_id, [
        sql`UPDATE core_webhook_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL
          WHERE tenant_id = ${delivery.tenant_id}::uuid AND id = ${delivery.id}::uuid`,
      ]);
      return;
    }
    const { webhookRetrySeconds, webhookMaxAttempts } = this.platform.config.automations;
    this.platform.log.warn(
      { tenant: delivery.tenant_id, delivery: delivery.id, attempts: delivery.attempts, reason: error },
      'webhook refused',
    );
    await this.platform.db.batch(delivery.tenant_id, [
      refusedSql('core_webhook_deliveries', delivery, error, {
        seconds: webhookRetrySeconds,
        maxAttempts: webhookMaxAttempts,
        gaveUp: 'dead',
      }),
    ]);
  }
}
