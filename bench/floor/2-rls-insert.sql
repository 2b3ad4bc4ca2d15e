-- The lead's INSERT in a transaction as the runtime role, inside the tenant (row-level security checks the row).
-- Captured on 2026-12-05 from the statements Atrium sends for `POST /api/records/crm.lead` (log_statement = all),
-- values replaced by pgbench variables (:tenant, :user, :stage). Run by bench/floor.ts with -M prepared.
SELECT gen_random_uuid() AS rid \gset
BEGIN;
SET LOCAL ROLE atrium_app;
SELECT set_config('app.tenant_id', :tenant, true), set_config('TimeZone', 'UTC', true), set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true);
INSERT INTO "crm_lead" (tenant_id, id, created_by, updated_by, "priority", "salesperson_id", "archived", "name", "expected_revenue", "stage_id", "closed_on") VALUES (:tenant::uuid, :rid::uuid, :user::uuid, :user::uuid, '0', :user::uuid, FALSE::boolean, 'Bench lead', '1250.00'::numeric, :stage::uuid, NULL);
COMMIT;
