import type Stripe from 'stripe';
import type { PlatformConfig } from '../../kernel/config.ts';

const clients = new WeakMap<object, Stripe>();

/**
 * The Stripe client of the platform's billing configuration (one per configuration). The library is loaded
 * on first use, so a platform without billing never pays for it (about 20 MB of a node's memory).
 */
export async function stripeOf(billing: NonNullable<PlatformConfig['billing']>): Promise<Stripe> {
  let client = clients.get(billing);
  if (!client) {
    const { default: StripeClient } = await import('stripe');
    clients.set(billing, (client = new StripeClient(billing.stripeSecretKey, { maxNetworkRetries: 2, timeout: 20_000 })));
  }
  return client;
}
