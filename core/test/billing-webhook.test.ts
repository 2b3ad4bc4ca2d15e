import t from 'tap';
import Stripe from 'stripe';
import { sql } from '../src/platform/testing/index.ts';
import { endExpiredGrace } from '../src/engine/billing/billing-events.ts';
import { call, startFixtureApp } from './helpers.ts';
import { resolveConfig, StartupError } from '@atrium/core/platform';

const WEBHOOK_SECRET = 'whsec_test_secret';
const testApp = await startFixtureApp({
  plans: { default: 'free', list: { free: { limits: { users: 3 } }, team: { limits: { users: 20 } }, business: {} } },
  billing: {
    stripeSecretKey: 'sk_test_offline',
    stripeWebhookSecret: WEBHOOK_SECRET,
    prices: { team: 'price_team', business: 'price_business' },
  },
});
t.teardown(() => testApp.close());
const { app } = testApp;
// Only the library's own test-header helper: nothing goes over the network.
const stripe = new Stripe('sk_test_offline');
let sequence = 0;

/** A Stripe event as Stripe would send it, and its signed delivery. */
function event(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)): string {
  return JSON.stringify({ id: `evt_test_${++sequence}`, object: 'event', type, api_version: '2025-01-01', created, data: { object } });
}
const deliver = async (payload: string, signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })) => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/billing/webhook',
    payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
  return { status: response.statusCode, body: response.json() };
};
const subscription = (tenantId: string, price: string, status = 'active', customer = `cus_${tenantId.slice(0, 8)}`) => ({
  id: `sub_${tenantId.slice(0, 8)}`,
  object: 'subscription',
  customer,
  status,
  metadata: { tenant_id: tenantId },
  items: { object: 'list', data: [{ id: 'si_1', object: 'subscription_item', price: { id: price, object: 'price' } }] },
});
const stateOf = async (tenantId: string) =>
  (
    await app.platform.db.system<{ plan: string | null; grace: boolean; customer: string | null }>(
      sql`SELECT plan, billing_grace_until IS NOT NULL AS grace, stripe_customer_id AS customer FROM core_tenants WHERE id = ${tenantId}::uuid`,
    )
  )[0];
const planOf = async (admin: Awaited<ReturnType<typeof testApp.signup>>) => (await call(admin, 'GET', '/api/admin/billing')).body.plan;
/** The plan the node's session cache holds for the tenant (requests per minute are judged from it). */
const cachedPlanOf = async (admin: Awaited<ReturnType<typeof testApp.signup>>) =>
  (await app.platform.sessions.resolve(admin.tenant.id, admin.user.id, Date.now())).plan.name;

t.test('signed subscription events upgrade and downgrade a tenant; a replayed event changes nothing', async (t) => {
  const admin = await testApp.signup('Paying Co');
  t.equal(await planOf(admin), 'free');
  const created = event('customer.subscription.created', subscription(admin.tenant.id, 'price_team'));
  t.same(await deliver(created), { status: 200, body: { received: true, outcome: 'plan:team' } });
  t.equal(await planOf(admin), 'team', 'upgraded');
  t.equal(await cachedPlanOf(admin), 'team', 'the cached session was dropped: it has the new plan at once');
  t.equal((await stateOf(admin.tenant.id)).customer, `cus_${admin.tenant.id.slice(0, 8)}`, 'the customer is remembered');

  const updated = event('customer.subscription.updated', subscription(admin.tenant.id, 'price_business'));
  t.equal((await deliver(updated)).body.outcome, 'plan:business');
  t.equal(await planOf(admin), 'business');

  // The operator moves the tenant meanwhile; Stripe (or anyone) resends the first event: nothing changes.
  await app.platform.db.system(sql`UPDATE core_tenants SET plan = 'business' WHERE id = ${admin.tenant.id}::uuid`);
  t.same(await deliver(created), { status: 200, body: { received: true, outcome: 'duplicate' } });
  t.equal(await planOf(admin), 'business', 'the replay did not bring back the team plan');
  const [{ n }] = await app.platform.db.system<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM core_billing_events WHERE id = ${JSON.parse(created).id}`,
  );
  t.equal(n, 1, 'the event is stored once');

  const deleted = event('customer.subscription.deleted', subscription(admin.tenant.id, 'price_business', 'canceled'));
  t.equal((await deliver(deleted)).body.outcome, 'plan:free');
  t.equal(await planOf(admin), 'free', 'downgraded to the default plan');
  const users = await call(admin, 'GET', '/api/admin/users');
  t.equal(users.status, 200, 'nothing of the tenant is touched');
});

t.test('a bad, missing or stale signature is 400 and changes nothing', async (t) => {
  const admin = await testApp.signup('Forged Co');
  const payload = event('customer.subscription.created', subscription(admin.tenant.id, 'price_business'));
  const wrongSecret = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
  const forged = await deliver(payload, wrongSecret);
  t.equal(forged.status, 400);
  t.equal(forged.body.error.code, 'validation_failed');
  t.equal(forged.body.error.details[0].field, 'stripe-signature');
  const tampered = payload.replace('price_business', 'price_team');
  t.equal(
    (await deliver(tampered, stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }))).status,
    400,
    'a body changed after signing',
  );
  const old = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: WEBHOOK_SECRET,
    timestamp: Math.floor(Date.now() / 1000) - 3600,
  });
  t.equal((await deliver(payload, old)).status, 400, 'a signature older than the tolerance (a replay of a captured delivery)');
  const missing = await app.inject({
    method: 'POST',
    url: '/api/billing/webhook',
    payload,
    headers: { 'content-type': 'application/json' },
  });
  t.equal(missing.statusCode, 400);
  t.equal(await planOf(admin), 'free');
  const [{ n }] = await app.platform.db.system<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM core_billing_events WHERE id = ${JSON.parse(payload).id}`,
  );
  t.equal(n, 0, 'no refused event is stored');
});

t.test('a signed event of a shape Stripe never sends is 400 naming the field, never 500', async (t) => {
  const admin = await testApp.signup('Odd Events Co');
  const bodies: [object, string][] = [
    [
      {
        id: 'evt_odd_1',
        type: 'customer.subscription.updated',
        created: 1_700_000_000,
        data: { object: { id: 'sub_odd', status: 'active', customer: 'cus_odd' } },
      },
      '',
    ],
    [{ id: 'evt_odd_2', type: 'customer.subscription.updated', data: {} }, 'data.object'],
    [{ id: 'evt_odd_3', type: 'invoice.paid' }, 'data.object'],
    [{ id: 42, type: 'invoice.paid', data: { object: {} } }, 'id'],
    [{ id: 'evt_odd_4', type: ['invoice.paid'], data: { object: {} } }, 'type'],
    [{ id: 'evt_odd_5', type: 'invoice.paid', data: { object: {} } }, 'created'],
    [{ id: 'evt_odd_6', type: 'invoice.paid', created: '1700000000', data: { object: {} } }, 'created'],
  ];
  for (const [body, field] of bodies) {
    const answer = await deliver(JSON.stringify(body));
    if (field === '') t.equal(answer.status, 200, 'a subscription without items is ignored');
    else t.same([answer.status, answer.body.error?.details?.[0]?.field], [400, field], JSON.stringify(body));
  }
  t.equal(await planOf(admin), 'free');
});

t.test('a failed payment starts a grace period; a paid invoice ends it; an expired one downgrades', async (t) => {
  const admin = await testApp.signup('Late Payer Co');
  const customer = `cus_late_${admin.tenant.id.slice(0, 6)}`;
  await deliver(event('customer.subscription.created', subscription(admin.tenant.id, 'price_team', 'active', customer)));
  const invoice = { id: 'in_1', object: 'invoice', customer };
  t.equal((await deliver(event('invoice.payment_failed', invoice))).body.outcome, 'grace');
  t.same(await stateOf(admin.tenant.id), { plan: 'team', grace: true, customer }, 'the plan is kept during the grace period');
  t.equal((await call(admin, 'GET', '/api/admin/billing')).body.grace_until !== null, true, 'the admin sees until when');
  t.equal((await deliver(event('invoice.paid', invoice))).body.outcome, 'paid');
  t.same(await stateOf(admin.tenant.id), { plan: 'team', grace: false, customer });

  await deliver(event('invoice.payment_failed', invoice));
  await endExpiredGrace(app.platform);
  t.equal(await planOf(admin), 'team', 'not before the grace period ends');
  await app.platform.db.system(
    sql`UPDATE core_tenants SET billing_grace_until = now() - interval '1 second' WHERE id = ${admin.tenant.id}::uuid`,
  );
  t.equal(await endExpiredGrace(app.platform), 1);
  t.same(await stateOf(admin.tenant.id), { plan: 'free', grace: false, customer }, 'back on the default plan');
  t.equal(await cachedPlanOf(admin), 'free', 'in the cached session too');
});

t.test('events that come out of order: one created before the last applied of its kind changes nothing', async (t) => {
  const admin = await testApp.signup('Out Of Order Co');
  const customer = `cus_order_${admin.tenant.id.slice(0, 6)}`;
  const sub = (price: string) => subscription(admin.tenant.id, price, 'active', customer);
  const at = 1_800_000_000;
  const outcome = async (payload: string) => (await deliver(payload)).body.outcome;
  t.equal(await outcome(event('customer.subscription.updated', sub('price_business'), at)), 'plan:business');
  t.equal(await outcome(event('customer.subscription.updated', sub('price_team'), at - 60)), 'stale', 'an older update');
  t.equal(await outcome(event('customer.subscription.deleted', sub('price_business'), at - 30)), 'stale', 'an older deletion');
  t.same(await stateOf(admin.tenant.id), { plan: 'business', grace: false, customer }, 'the newest subscription event holds');
  t.equal(await cachedPlanOf(admin), 'business');

  const invoice = { id: 'in_order', object: 'invoice', customer };
  t.equal(await outcome(event('invoice.payment_failed', invoice, at + 120)), 'grace');
  t.equal(await outcome(event('invoice.paid', invoice, at + 60)), 'stale', 'a payment before the failure does not end the grace');
  t.same(await stateOf(admin.tenant.id), { plan: 'business', grace: true, customer });
  t.equal(await outcome(event('invoice.paid', invoice, at + 180)), 'paid');
  t.same(await stateOf(admin.tenant.id), { plan: 'business', grace: false, customer });

  t.equal(await outcome(event('customer.subscription.updated', sub('price_team'), at + 1)), 'plan:team', 'each kind has its own order');
  t.equal(
    await outcome(event('customer.subscription.deleted', sub('price_team'), at + 1)),
    'plan:free',
    'the same second: in the order they come',
  );
  const [stored] = await app.platform.db.system<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM core_billing_events WHERE tenant_id = ${admin.tenant.id}::uuid AND outcome = 'stale'`,
  );
  t.equal(stored.n, 3, 'stale events are kept, with what they did');
});

t.test('events about nobody we know, or of kinds we do not map, are stored and answered 200', async (t) => {
  const stranger = await deliver(event('invoice.paid', { id: 'in_x', object: 'invoice', customer: 'cus_nobody' }));
  t.same(stranger, { status: 200, body: { received: true, outcome: 'unknown_tenant' } });
  t.equal((await deliver(event('charge.refunded', { id: 'ch_1', object: 'charge' }))).body.outcome, 'ignored');
});

t.test('checkout needs a confirmed email address; without Stripe keys there is no billing at all', async (t) => {
  const admin = await testApp.signup('Unverified Co');
  const refused = await call(admin, 'POST', '/api/admin/billing/checkout', { plan: 'team' });
  t.equal(refused.status, 403);
  const user = await testApp.addUser(admin, ['user']);
  t.equal((await call(user, 'GET', '/api/admin/billing')).status, 403, 'admins only');
  const bare = await startFixtureApp();
  t.teardown(() => bare.close());
  const payload = event('customer.subscription.created', subscription(admin.tenant.id, 'price_team'));
  const response = await bare.app.inject({
    method: 'POST',
    url: '/api/billing/webhook',
    payload,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    },
  });
  t.equal(response.statusCode, 404);
  const other = await bare.signup();
  t.same((await call(other, 'GET', '/api/admin/billing')).body.enabled, false);
  t.equal((await call(other, 'POST', '/api/admin/billing/checkout', { plan: 'team' })).status, 404);
});

t.test('ATRIUM_STRIPE_PRICES that does not read plan=price_id stops the start, naming the variable', async (t) => {
  const prices = (value: string) =>
    resolveConfig({}, process.cwd(), { ATRIUM_STRIPE_PRICES: value, ATRIUM_STRIPE_SECRET_KEY: 'sk', ATRIUM_STRIPE_WEBHOOK_SECRET: 'wh' });
  t.same(prices('team=price_team').billing?.prices, { team: 'price_team' });
  t.throws(() => prices('team'), StartupError);
  t.throws(() => prices('team=price_team,=price_x'), { name: 'StartupError', message: /ATRIUM_STRIPE_PRICES must read/ });
});
