-- The chatter of records whose model declares "chatter": true (docs/api.md, "Chatter and activities"):
-- messages and internal notes, their attachments, each record's followers, and activities (to-dos with a
-- type, a due date and an assigned user). A row names its record by (model, record_id), like core_events:
-- who may see it is decided by whether the user may read that record, in the routes' SQL (a join on the
-- record's table under the user's read rule) and in the hub (the record's last snapshot). Tenant isolation
-- is row-level security like every core table.
CREATE TABLE core_messages (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  model text NOT NULL,
  record_id uuid NOT NULL,
  -- message: sent to the followers; note: internal, notifies only whom it mentions; activity: an activity
  -- was scheduled or done (written by the core, its body says what happened).
  kind text NOT NULL CHECK (kind IN ('message', 'note', 'activity')),
  body text NOT NULL,
  mentions uuid[] NOT NULL DEFAULT '{}',
  -- For kind activity: which activity, and what happened to it.
  activity_id uuid,
  activity_change text CHECK (activity_change IN ('scheduled', 'done')),
  author_id uuid,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, author_id) REFERENCES core_users (tenant_id, id)
);
CREATE INDEX core_messages_record_idx ON core_messages (tenant_id, model, record_id, created_at DESC);

-- Files stay in the database: one backup, one isolation (RLS), the same on PostgreSQL and PGlite.
-- message_id is null between the upload and the message that carries it.
CREATE TABLE core_attachments (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  model text NOT NULL,
  record_id uuid NOT NULL,
  message_id uuid,
  name text NOT NULL,
  mime_type text NOT NULL,
  size integer NOT NULL,
  content bytea NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES core_messages (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, created_by) REFERENCES core_users (tenant_id, id)
);
CREATE INDEX core_attachments_record_idx ON core_attachments (tenant_id, model, record_id);

CREATE TABLE core_followers (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  model text NOT NULL,
  record_id uuid NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, model, record_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core_users (tenant_id, id)
);

CREATE TABLE core_activities (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  model text NOT NULL,
  record_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('todo', 'call', 'email', 'meeting')),
  summary text NOT NULL,
  due date NOT NULL,
  assigned_to uuid NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  done_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, assigned_to) REFERENCES core_users (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES core_users (tenant_id, id)
);
CREATE INDEX core_activities_record_idx ON core_activities (tenant_id, model, record_id);
CREATE INDEX core_activities_assigned_idx ON core_activities (tenant_id, assigned_to, due) WHERE done_at IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_messages', 'core_attachments', 'core_followers', 'core_activities'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON core_messages TO atrium_app;
GRANT SELECT, INSERT, UPDATE ON core_attachments TO atrium_app;
GRANT SELECT, INSERT, DELETE ON core_followers TO atrium_app;
GRANT SELECT, INSERT, UPDATE ON core_activities TO atrium_app;

-- A chatter entry travels as an event of its record (op 'chatter', the entry in `changes`, no snapshot):
-- the same outbox, cursors, replay and nodes as record events; the hub shows it to whoever may read the record.
ALTER TABLE core_events DROP CONSTRAINT core_events_op_check;
ALTER TABLE core_events ADD CONSTRAINT core_events_op_check CHECK (op IN ('created', 'updated', 'deleted', 'chatter'));
