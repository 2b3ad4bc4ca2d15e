-- An open activity's assignee is told once when its due day (UTC) comes (engine/notifications/activity-due.ts):
-- `due_notified_at` is set by the node that claimed it (FOR UPDATE SKIP LOCKED) in the transaction that writes
-- the notification. An activity scheduled already due is set at once: its assignee was told when it was
-- scheduled (or scheduled it themself).
ALTER TABLE core_activities ADD COLUMN due_notified_at timestamptz;
-- What the job scans, across tenants (as the owner role).
CREATE INDEX core_activities_due_idx ON core_activities (due) WHERE done_at IS NULL AND due_notified_at IS NULL;
