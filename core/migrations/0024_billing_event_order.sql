-- Stripe does not promise the order of its events (docs/decisions.md, "Billing events applied in the order Stripe
-- created them"): the time of the last subscription event and of the last invoice event applied to a tenant, so
-- that an older one arriving late changes nothing.
ALTER TABLE core_tenants ADD COLUMN billing_subscription_at timestamptz, ADD COLUMN billing_invoice_at timestamptz;
