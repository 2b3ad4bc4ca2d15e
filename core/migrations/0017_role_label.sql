-- A role's free-text label ("Sales team Europe") beside its key (the name users and manifests refer to). Builtin
-- roles have none: the shell names them by key. A column of core_roles, so row-level security already covers it.
ALTER TABLE core_roles ADD COLUMN label text;
