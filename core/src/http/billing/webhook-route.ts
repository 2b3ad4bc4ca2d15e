import type { FastifyInstance } from 'fastify';
import type Stripe from 'stripe';
import { AtriumError } from '../../kernel/errors.ts';
import { applyBillingEvent } from '../../engine/billing/billing-events.ts';
import { stripeOf } from '../../engine/billing/stripe-client.ts';

/**
 * `POST /api/billing/webhook`: Stripe's events, verified against `Stripe-Signature` over the body exactly as
 * it arrived (so this scope keeps the raw bytes instead of parsing JSON), each applied once. A bad or missing
 * signature is 400; without billing configured the route does not exist (404).
 */
export default async function webhookRoute(app: FastifyInstance): Promise<void> {
  const { config } = app.platform;
  const billing = config.billing;
  if (!billing) return;
  const stripe = await stripeOf(billing);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/billing/webhook', async (request) => {
    const signature = request.headers['stripe-signature'];
    let event: Stripe.Event;
    try {
      if (typeof signature !== 'string' || !Buffer.isBuffer(request.body)) throw new Error('no signature');
      event = stripe.webhooks.constructEvent(request.body, signature, billing.stripeWebhookSecret);
    } catch {
      throw AtriumError.invalidField('stripe-signature', 'signature', 'does not match the body (or is missing or too old)');
    }
    const outcome = await applyBillingEvent(app.platform, event);
    request.log.info({ event: event.id, type: event.type, outcome }, 'billing event');
    return { received: true, outcome };
  });
}
