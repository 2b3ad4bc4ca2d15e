-- A tenant's own additions to the modules' views (docs/api.md, "View patches"): per view, a list of patches
-- of the shape a module's extension declares (rows into a form, columns into a list, fields onto a kanban
-- card), applied after the modules' patches. A record of the core model core.view_patch: written through the
-- unit of work, so each change has its event and history.
CREATE TABLE core_view_patches (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  view text NOT NULL,
  patches jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, view)
);

ALTER TABLE core_view_patches ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_view_patches FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_view_patches USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT, INSERT, UPDATE ON core_view_patches TO atrium_app;
