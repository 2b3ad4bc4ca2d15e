-- The runtime role: requests run as it (SET LOCAL ROLE in every transaction). It owns nothing, is no
-- superuser and cannot bypass row-level security, so a query that forgets the tenant still sees only the
-- tenant set in app.tenant_id, and without one sees nothing.
DO $$
BEGIN
  CREATE ROLE atrium_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles are cluster-wide: another database (or a parallel start) created it
END $$;

DO $$
BEGIN
  EXECUTE format('GRANT atrium_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- already a member (superusers may SET ROLE to any role)
END $$;

-- The current tenant, or NULL: never an error on a fresh connection.
CREATE FUNCTION core_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

ALTER TABLE core_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_tenants USING (id = core_current_tenant()) WITH CHECK (id = core_current_tenant());

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_users', 'core_roles', 'core_user_roles', 'core_tenant_modules', 'core_event_cursors',
                           'core_events', 'core_sequences', 'core_data_keys'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant())', t);
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO atrium_app;
GRANT EXECUTE ON FUNCTION core_current_tenant() TO atrium_app;
GRANT SELECT, UPDATE (name, currency, locale, updated_at) ON core_tenants TO atrium_app;
-- Password hashes are not readable by the runtime role at all: only login (as the owner) reads them.
GRANT SELECT (tenant_id, id, email, name, active, version, created_at, updated_at) ON core_users TO atrium_app;
GRANT INSERT, UPDATE ON core_users TO atrium_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON core_roles, core_user_roles, core_tenant_modules, core_sequences, core_data_keys TO atrium_app;
GRANT SELECT, INSERT, UPDATE ON core_event_cursors TO atrium_app;
GRANT SELECT, INSERT ON core_events TO atrium_app;
