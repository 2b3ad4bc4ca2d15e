-- core.user is readable through the record API, which reads the same system fields on every model:
-- users get the two author columns the other tables have (null for the first admin, and for users created
-- before this migration).
ALTER TABLE core_users ADD COLUMN created_by uuid, ADD COLUMN updated_by uuid;
GRANT SELECT (created_by, updated_by) ON core_users TO atrium_app;
