-- Every tenant is on a plan (platform.config.ts declares them, kernel/plans.ts). NULL is the platform's
-- default plan, so existing tenants are on it without a rewrite, and a plan no longer declared falls back to
-- it. Only the owner changes a plan (the operator, billing): the runtime role reads it and may not write it.
ALTER TABLE core_tenants ADD COLUMN plan text;
