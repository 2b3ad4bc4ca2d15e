-- The company's postal address, printed on its documents (reports) under its name.
ALTER TABLE core_tenants ADD COLUMN address text NOT NULL DEFAULT '';
GRANT UPDATE (address) ON core_tenants TO atrium_app;
