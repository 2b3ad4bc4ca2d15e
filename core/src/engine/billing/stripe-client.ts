import Stripe from 'stripe';
import type { PlatformConfig } from '../../kernel/config.ts';

const clients = new WeakMap<object, Stripe>();

/** The Stripe client of the platform's billing configuration (one per configuration). */
export function stripeOf(billing: NonNullable<PlatformConfig['billing']>): Stripe {
  let client = clients.get(billing);
  if (!client) clients.set(billing, (client = new Stripe(billing.stripeSecretKey, { maxNetworkRetries: 2, timeout: 20_000 })));
  return client;
}
