-- Automations (docs/api.md, "Automations"; docs/decisions.md): a tenant's rules "when a record of MODEL is
-- created / updated / deleted / a date comes, and it matches WHEN, do ACTIONS". Four tables, each per tenant
-- with row-level security like every core table:
--   core_automations             the rules, as the admin wrote them (trigger and actions as JSON)
--   core_automation_runs         the run log: one row per automation judged on a record (done / failed / skipped)
--   core_automation_jobs         time-based triggers: one row per (automation, record), due at the record's date
--                                plus the offset; claimed by one node with FOR UPDATE SKIP LOCKED
--   core_webhook_deliveries      the webhook outbox: written with the write, POSTed after commit, retried with
--                                back-off, dead after the last attempt (shown to the admin)
CREATE TABLE core_automations (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  model text NOT NULL,
  trigger jsonb NOT NULL,
  actions jsonb NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE core_automation_runs (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  automation_id uuid NOT NULL,
  record_id uuid,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  status text NOT NULL CHECK (status IN ('done', 'failed', 'skipped')),
  error text,
  depth integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, automation_id) REFERENCES core_automations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX core_automation_runs_at_idx ON core_automation_runs (tenant_id, automation_id, at DESC);

CREATE TABLE core_automation_jobs (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  automation_id uuid NOT NULL,
  record_id uuid NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done')),
  -- A claim's token and lease: the node that claimed the job marks it done only under its own token, in the
  -- transaction of the automation's actions; a node that died leaves the job to be claimed again after the lease.
  claim uuid,
  lease_until timestamptz,
  PRIMARY KEY (tenant_id, automation_id, record_id),
  FOREIGN KEY (tenant_id, automation_id) REFERENCES core_automations (tenant_id, id) ON DELETE CASCADE
);
-- What every node's scheduler scans, across tenants (as the owner role).
CREATE INDEX core_automation_jobs_due_idx ON core_automation_jobs (due_at) WHERE status <> 'done';

CREATE TABLE core_webhook_deliveries (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  automation_id uuid NOT NULL,
  record_id uuid,
  url text NOT NULL,
  body text NOT NULL,
  -- sha256=<hex HMAC of the body>, computed when queued (the secret is not copied here).
  signature text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, automation_id) REFERENCES core_automations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX core_webhook_deliveries_due_idx ON core_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX core_webhook_deliveries_tenant_idx ON core_webhook_deliveries (tenant_id, created_at DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_automations', 'core_automation_runs', 'core_automation_jobs', 'core_webhook_deliveries'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON core_automations TO atrium_app;
GRANT SELECT, INSERT ON core_automation_runs TO atrium_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON core_automation_jobs TO atrium_app;
GRANT SELECT, INSERT, UPDATE ON core_webhook_deliveries TO atrium_app;
