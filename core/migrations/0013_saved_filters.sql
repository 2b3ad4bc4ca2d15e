-- What a user keeps of a view (docs/api.md, "Saved filters" and "View settings"): favourites, each the state of a
-- view (search, filters, grouping, sort) under a name, private to their owner or shared with the tenant; and a
-- user's own settings of a view (the list's columns). Tenant isolation is row-level security like every core
-- table; who sees which favourite (own + shared) is the routes' WHERE, tested in core/test/saved-filters.test.ts.
CREATE TABLE core_saved_filters (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  owner_id uuid NOT NULL,
  view text NOT NULL,
  name text NOT NULL,
  state jsonb NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES core_users (tenant_id, id)
);
CREATE INDEX core_saved_filters_view_idx ON core_saved_filters (tenant_id, view);

CREATE TABLE core_view_settings (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  user_id uuid NOT NULL,
  view text NOT NULL,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, view),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core_users (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_saved_filters', 'core_view_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, DELETE ON core_saved_filters TO atrium_app;
GRANT SELECT, INSERT, UPDATE ON core_view_settings TO atrium_app;
