-- core.user is read through the record API, which returns created_by and updated_by on every record.
ALTER TABLE core_users ADD COLUMN created_by uuid, ADD COLUMN updated_by uuid;
GRANT SELECT (created_by, updated_by) ON core_users TO atrium_app;
