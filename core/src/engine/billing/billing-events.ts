import type Stripe from 'stripe';
import type { PlatformConfig } from '../../kernel/config.ts';
import { AtriumError } from '../../kernel/errors.ts';
import { ident, sql, type Sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';

type Billing = NonNullable<PlatformConfig['billing']>;

const planUpdateSql = (plan: string): Sql => sql`plan = ${plan}`;

/** What an event did, kept with it in core_billing_events. */
export type BillingOutcome = 'duplicate' | 'ignored' | 'unknown_tenant' | 'stale' | `plan:${string}` | 'grace' | 'paid' | 'customer';

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Subscription states in which the tenant has the subscribed plan; past_due keeps it too, through the grace period. */
const PAYING = new Set(['active', 'trialing', 'past_due']);
/** States that end the subscription: back to the default plan. */
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/**
 * The tenant's column holding the creation time of the last event applied of each ordered kind: Stripe may
 * deliver a subscription's or an invoice's events out of order, and an older one must not undo a newer one.
 */
const ORDERED = { subscription: 'billing_subscription_at', invoice: 'billing_invoice_at' } as const;

interface Change {
  tenant: Sql;
  /** What the tenant row gets. */
  set?: Sql;
  outcome: BillingOutcome;
  /** Events of this kind apply in the order Stripe created them (see ORDERED); none: in the order they come. */
  ordered?: keyof typeof ORDERED;
}

/** The tenant an event concerns: the id the checkout put in the metadata, else the Stripe customer. */
function tenantOf(metadataTenant: string | null | undefined, customer: string | null): Sql {
  const byId = metadataTenant && /^[0-9a-f-]{36}$/i.test(metadataTenant) ? sql`id = ${metadataTenant}::uuid` : sql`false`;
  return sql`(${byId} OR stripe_customer_id = ${customer ?? ''})`;
}

/** A signed event Stripe would not send (no id, no object): 400 naming the field, never a crash. */
function checkShape(event: Stripe.Event): void {
  if (typeof event.id !== 'string' || event.id === '') throw AtriumError.invalidField('id', 'type', 'must be the event id');
  if (typeof event.type !== 'string') throw AtriumError.invalidField('type', 'type', 'must be the event type');
  const object: unknown = event.data?.object;
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw AtriumError.invalidField('data.object', 'type', 'must be an object');
  if (!Number.isInteger(event.created) || event.created < 0)
    throw AtriumError.invalidField('created', 'type', 'must be the time the event was created, in seconds');
}

function changeOf(event: Stripe.Event, config: PlatformConfig, billing: Billing): Change | undefined {
  const defaultPlan = config.plans.default;
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      return {
        tenant: tenantOf(session.client_reference_id, null),
        set: sql`stripe_customer_id = ${idOf(session.customer)}`,
        outcome: 'customer',
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      const customer = idOf(subscription.customer);
      const tenant = tenantOf(subscription.metadata?.tenant_id, customer);
      const price = subscription.items?.data?.[0]?.price?.id;
      const plan = Object.entries(billing.prices).find(([name, id]) => id === price && config.plans.list.has(name))?.[0];
      if (event.type === 'customer.subscription.deleted' || ENDED.has(subscription.status))
        return {
          tenant,
          set: sql`${planUpdateSql(defaultPlan)}, stripe_subscription_id = NULL, billing_grace_until = NULL`,
          outcome: `plan:${defaultPlan}`,
          ordered: 'subscription',
        };
      if (!PAYING.has(subscription.status) || !plan) return { tenant, outcome: 'ignored' };
      return {
        tenant,
        set: sql`${planUpdateSql(plan)}, stripe_customer_id = ${customer}, stripe_subscription_id = ${subscription.id}`,
        outcome: `plan:${plan}`,
        ordered: 'subscription',
      };
    }
    case 'invoice.paid': {
      const invoice = event.data.object;
      return { tenant: tenantOf(null, idOf(invoice.customer)), set: sql`billing_grace_until = NULL`, outcome: 'paid', ordered: 'invoice' };
    }
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      // The first failure starts the grace period; later retries within it do not extend it.
      return {
        tenant: tenantOf(null, idOf(invoice.customer)),
        set: sql`billing_grace_until = coalesce(billing_grace_until, now() + make_interval(days => ${billing.graceDays}))`,
        outcome: 'grace',
        ordered: 'invoice',
      };
    }
    default:
      return undefined;
  }
}

/**
 * Applies one verified Stripe event, once: its id goes into core_billing_events in the same transaction as
 * the change it makes, so a replay (Stripe retries, an attacker resends a captured event) finds it there and
 * changes nothing. Subscriptions set the plan their price maps to (`billing.prices`); a deleted or ended one
 * puts the tenant back on the default plan; a failed invoice starts the grace period, a paid one ends it. A
 * subscription or invoice event created before the last one of its kind applied to the tenant is `stale`:
 * Stripe does not promise order, and a late `updated` must not undo a `deleted`.
 */
export async function applyBillingEvent(platform: Pick<Platform, 'db' | 'bus' | 'config'>, event: Stripe.Event): Promise<BillingOutcome> {
  const { db, bus, config } = platform;
  const billing = config.billing!;
  checkShape(event);
  const change = changeOf(event, config, billing);
  let changed: string | undefined;
  const outcome = await db.transaction('system', async (tx): Promise<BillingOutcome> => {
    const [recorded] = await tx.query(
      sql`INSERT INTO core_billing_events (id, type, outcome) VALUES (${event.id}, ${event.type}, 'ignored') ON CONFLICT (id) DO NOTHING RETURNING id`,
    );
    if (recorded.rows.length === 0) return 'duplicate';
    if (!change) return 'ignored';
    const column = change.ordered && ident(ORDERED[change.ordered]);
    const createdAt = sql`to_timestamp(${event.created})`;
    const [tenant] = await tx.query(
      sql`SELECT id, ${column ? sql`${column} > ${createdAt}` : sql`false`} AS stale
        FROM core_tenants WHERE ${change.tenant} ORDER BY id LIMIT 1 FOR UPDATE`,
    );
    const tenantId = tenant.rows[0]?.id as string | undefined;
    // Null (no event of this kind applied yet) is not stale; events created in the same second apply in the order they come.
    const stale = tenant.rows[0]?.stale === true;
    const outcome: BillingOutcome = !tenantId ? 'unknown_tenant' : stale ? 'stale' : change.outcome;
    const set = change.set && column ? sql`${change.set}, ${column} = ${createdAt}` : change.set;
    await tx.commit(
      ...(tenantId && set && !stale ? [sql`UPDATE core_tenants SET ${set}, updated_at = now() WHERE id = ${tenantId}::uuid`] : []),
      sql`UPDATE core_billing_events SET tenant_id = ${tenantId ?? null}::uuid, outcome = ${outcome} WHERE id = ${event.id}`,
    );
    if (change.set && !stale) changed = tenantId;
    return outcome;
  });
  // Every node drops the tenant's cached sessions, and with them its plan (requests per minute are judged from it).
  if (changed) await bus.control({ kind: 'tenant', tenantId: changed });
  return outcome;
}

/**
 * Tenants whose grace period ended without a paid invoice go back to the default plan (their data stays;
 * writes over its limits are refused). Run on every node now and then; the statement is idempotent.
 */
export async function endExpiredGrace(platform: Pick<Platform, 'db' | 'bus' | 'config'>): Promise<number> {
  const { db, bus, config } = platform;
  const ended = await db.system<{ id: string }>(
    sql`UPDATE core_tenants SET ${planUpdateSql(config.plans.default)}, billing_grace_until = NULL, updated_at = now()
      WHERE billing_grace_until <= now() RETURNING id`,
  );
  for (const { id } of ended) await bus.control({ kind: 'tenant', tenantId: id });
  return ended.length;
}
