import { createHmac, randomUUID } from 'node:crypto';
import { AtriumError } from '../../../kernel/errors.ts';
import { sql } from '../../../store/sql.ts';
import type { ActionKind } from './action-kind.ts';
import { addressRefusal } from '../public-address.ts';

/** `sha256=<hex HMAC-SHA256 of the body>`, the value of X-Atrium-Signature. */
export const signature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** The value as an http(s) URL, if it is one. */
const httpUrlOf = (value: unknown): URL | undefined => {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  return url && ['http:', 'https:'].includes(url.protocol) ? url : undefined;
};

/**
 * `{"type": "webhook", "url", "secret"}`: the event as JSON, signed, written to the webhook outbox in the
 * write's transaction (a write rolled back sends nothing) and POSTed after commit (webhook-delivery.ts).
 */
export const webhookAction: ActionKind = {
  type: 'webhook',
  check(action, { path, privateNetworks }) {
    const url = httpUrlOf(action.url);
    if (!url) throw AtriumError.invalidField(`${path}.url`, 'format', 'must be an http(s) URL');
    // A name is checked when a delivery connects (public-address.ts); an address can be refused now.
    const refusal = privateNetworks ? undefined : addressRefusal(url.hostname);
    if (refusal) throw AtriumError.invalidField(`${path}.url`, 'address', `must reach a public address: ${refusal}`);
    if (typeof action.secret !== 'string' || action.secret.length < 8 || action.secret.length > 200)
      throw AtriumError.invalidField(`${path}.secret`, 'length', 'must be a text of 8 to 200 characters');
    return { type: 'webhook', url: action.url, secret: action.secret };
  },
  async run(action, { automation, model, change, tenantId, unit, afterCommit }) {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      automation: { id: automation.id, name: automation.name },
      model: model.id,
      op: change.op,
      record_id: change.record.id,
      record: change.record,
      at: new Date().toISOString(),
    });
    await unit.tx.query(sql`INSERT INTO core_webhook_deliveries (tenant_id, id, automation_id, record_id, url, body, signature)
      VALUES (${tenantId}::uuid, ${id}::uuid, ${automation.id}::uuid, ${change.record.id as string}::uuid, ${action.url as string}, ${body}, ${signature(action.secret as string, body)})`);
    afterCommit('webhooks');
  },
};
