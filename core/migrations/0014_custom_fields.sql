-- A tenant's own fields on module models (docs/api.md, "Custom fields"; docs/decisions.md). One row per
-- (model, name): removing a field clears `active` and keeps the row and the values (in each record's `custom`
-- jsonb column, added to every model table by the table sync), so re-creating it with the same type brings
-- them back. The definitions are records of the core model core.custom_field, written through the unit of work.
CREATE TABLE core_custom_fields (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  model text NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  label text NOT NULL,
  help text,
  required boolean NOT NULL DEFAULT false,
  default_value jsonb,
  options jsonb,
  model_ref text,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, model, name)
);

ALTER TABLE core_custom_fields ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_custom_fields FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_custom_fields USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT, INSERT, UPDATE ON core_custom_fields TO atrium_app;
