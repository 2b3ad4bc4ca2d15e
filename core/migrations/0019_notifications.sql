-- Each user's inbox (docs/api.md, "Notifications"): written in the transaction of the write that causes it
-- (an assignment, later a mention or an activity), delivered live after commit to that user's sockets, and
-- mailed once if still unread after ATRIUM_NOTIFY_EMAIL_AFTER_MINUTES. What it says (the record's name) is
-- read when it is shown, through the reader's rules: a record the user may no longer read is not shown.
CREATE TABLE core_notifications (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL,
  model text NOT NULL,
  record_id uuid NOT NULL,
  actor_id uuid,
  body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  -- Set once, by the node that claimed it for mail (FOR UPDATE SKIP LOCKED), mailed or not.
  emailed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core_users (tenant_id, id)
);
CREATE INDEX core_notifications_user_idx ON core_notifications (tenant_id, user_id, created_at DESC);
-- What the mail job scans, across tenants (as the owner role).
CREATE INDEX core_notifications_unmailed_idx ON core_notifications (created_at) WHERE read_at IS NULL AND emailed_at IS NULL;

ALTER TABLE core_notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_notifications USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT, INSERT, UPDATE ON core_notifications TO atrium_app;
