-- Outgoing mail: written in the transaction of the write that sends it (an outbox), delivered after
-- commit by whichever node claims it first (FOR UPDATE SKIP LOCKED), retried with back-off.
-- status: pending (to deliver; next_attempt_at says when), sent (accepted by SMTP), caught (no SMTP
-- configured: kept for the tenant admin's mail catcher), failed (gave up after the last attempt).
CREATE TABLE core_mails (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  model text,
  record_id uuid,
  recipients text[] NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  attachment_name text,
  attachment bytea,
  -- Written on the record, through the write path, once the mail is accepted (see docs/decisions.md).
  on_accepted jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'caught', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- What the delivery loop scans, across tenants (as the owner role).
CREATE INDEX core_mails_due_idx ON core_mails (next_attempt_at) WHERE status = 'pending';
CREATE INDEX core_mails_tenant_created_idx ON core_mails (tenant_id, created_at DESC);

ALTER TABLE core_mails ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_mails FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_mails USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT, INSERT, UPDATE ON core_mails TO atrium_app;
