import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';
import { sql } from '../../store/sql.ts';
import { stripeOf } from '../../engine/billing/stripe-client.ts';

const checkoutBody = {
  type: 'object',
  additionalProperties: false,
  required: ['plan'],
  properties: { plan: { type: 'string', minLength: 1, maxLength: 60 } },
} as const;

interface BillingRow {
  plan: string | null;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  billing_grace_until: Date | null;
}

/** Where Stripe sends the admin back to: the shell's billing page. */
const returnUrl = (request: FastifyRequest, outcome?: string): string =>
  `${request.protocol}://${request.host}/admin/billing${outcome ? `?checkout=${outcome}` : ''}`;

/**
 * `/api/admin/billing`: the tenant's subscription. With Stripe configured, an admin upgrades through a
 * Checkout Session and manages payment in the Customer Portal (both links made here, opened by the shell);
 * the plan itself changes only when Stripe's webhook says so. Without Stripe, GET says `enabled: false` and
 * the links are 404: plans are then the operator's to change.
 */
export default async function billingRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.platform;
  const billing = config.billing;

  const billingRow = async (tenantId: string): Promise<BillingRow> =>
    (
      await db.system<BillingRow>(
        sql`SELECT plan, stripe_customer_id, stripe_subscription_id, billing_grace_until FROM core_tenants WHERE id = ${tenantId}::uuid`,
      )
    )[0];
  const enabled = async () => {
    if (!billing) throw AtriumError.notFound('Billing is not configured on this platform: the operator changes plans');
    return { billing, stripe: await stripeOf(billing) };
  };

  app.get('/admin/billing', async (request) => {
    const row = await billingRow(request.session.tenant.id);
    return {
      enabled: Boolean(billing),
      plan: row.plan ?? config.plans.default,
      purchasable: billing ? Object.keys(billing.prices).filter((plan) => config.plans.list.has(plan)) : [],
      subscribed: row.stripe_subscription_id !== null,
      customer: row.stripe_customer_id !== null,
      grace_until: row.billing_grace_until,
    };
  });

  app.post<{ Body: { plan: string } }>('/admin/billing/checkout', { schema: { body: checkoutBody } }, async (request) => {
    const { billing, stripe } = await enabled();
    const { tenant, user, emailVerified } = request.session;
    if (!emailVerified) throw AtriumError.forbidden('Confirm your email address first (see the mail we sent you)');
    const price = config.plans.list.has(request.body.plan) ? billing.prices[request.body.plan] : undefined;
    if (!price)
      throw AtriumError.invalidField(
        'plan',
        'enum',
        `must be one of ${Object.keys(billing.prices)
          .map((p) => `"${p}"`)
          .join(', ')}`,
      );
    const row = await billingRow(tenant.id);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price, quantity: 1 }],
      client_reference_id: tenant.id,
      ...(row.stripe_customer_id ? { customer: row.stripe_customer_id } : { customer_email: user.email }),
      subscription_data: { metadata: { tenant_id: tenant.id } },
      metadata: { tenant_id: tenant.id },
      success_url: returnUrl(request, 'success'),
      cancel_url: returnUrl(request, 'cancelled'),
    });
    return { url: session.url };
  });

  app.post('/admin/billing/portal', async (request) => {
    const { stripe } = await enabled();
    const row = await billingRow(request.session.tenant.id);
    if (!row.stripe_customer_id) throw AtriumError.conflict('There is no subscription to manage yet: choose a plan first');
    const session = await stripe.billingPortal.sessions.create({ customer: row.stripe_customer_id, return_url: returnUrl(request) });
    return { url: session.url };
  });
}
