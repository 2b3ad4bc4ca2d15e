-- The operator (who runs the platform) and billing through Stripe (docs/decisions.md).

-- A suspended tenant keeps every row; its users are refused (403 tenant_suspended) until it is resumed.
ALTER TABLE core_tenants ADD COLUMN suspended_at timestamptz;
-- Stripe's customer and subscription of the tenant, and the end of the grace period after a failed payment
-- (the tenant keeps its plan until then). Written by the owner role only (webhooks, checkout).
ALTER TABLE core_tenants ADD COLUMN stripe_customer_id text UNIQUE;
ALTER TABLE core_tenants ADD COLUMN stripe_subscription_id text;
ALTER TABLE core_tenants ADD COLUMN billing_grace_until timestamptz;

-- Sign-up's email verification: the hash of the emailed token (the token itself is never stored).
ALTER TABLE core_users ADD COLUMN email_verified_at timestamptz;
ALTER TABLE core_users ADD COLUMN email_verification_hash text;
GRANT SELECT (email_verified_at) ON core_users TO atrium_app;

-- Every Stripe event processed, by its id: a replayed event is recognised and changes nothing. Written by
-- the owner role (an event may name no tenant we know: tenant_id NULL); a tenant may read its own rows.
CREATE TABLE core_billing_events (
  id text PRIMARY KEY,
  type text NOT NULL,
  tenant_id uuid REFERENCES core_tenants (id),
  outcome text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE core_billing_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_billing_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_billing_events USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT ON core_billing_events TO atrium_app;

-- What the operator did, to which tenant. Written by the owner role; a tenant may read its own rows.
CREATE TABLE core_operator_audit (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  at timestamptz NOT NULL DEFAULT now(),
  operator text NOT NULL,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX core_operator_audit_at_idx ON core_operator_audit (at DESC);
ALTER TABLE core_operator_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_operator_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_operator_audit USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT ON core_operator_audit TO atrium_app;
CREATE INDEX core_users_verification_idx ON core_users (email_verification_hash) WHERE email_verification_hash IS NOT NULL;
