-- Roles, the company's settings and module switches are records of core models (core.role, core.company,
-- core.module) written through the same unit of work as module records: their events and history read the
-- system columns every model has (id, version, created_at, updated_at, created_by, updated_by).
ALTER TABLE core_roles ADD COLUMN created_by uuid, ADD COLUMN updated_by uuid;

-- The company is the tenant's one core_tenants row: its tenant_id is its id, as the record path expects.
ALTER TABLE core_tenants ADD COLUMN tenant_id uuid GENERATED ALWAYS AS (id) STORED,
  ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN created_by uuid, ADD COLUMN updated_by uuid;
GRANT UPDATE (version, updated_by) ON core_tenants TO atrium_app;

ALTER TABLE core_tenant_modules ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN created_by uuid, ADD COLUMN updated_by uuid;
ALTER TABLE core_tenant_modules ADD UNIQUE (tenant_id, id);
