-- The raw baseline's create: one INSERT … RETURNING, the tenant in the values, nothing else.
-- Captured on 2026-12-05 from the statements bench/raw-server.ts sends for `POST /leads`,
-- values replaced by pgbench variables (:tenant, :user, :stage). Run by bench/floor.ts with -M prepared.
SELECT gen_random_uuid() AS rid \gset
INSERT INTO lead AS l (tenant_id, id, name, stage_id, expected_revenue, priority, salesperson_id, archived, created_by, updated_by) VALUES (:tenant::uuid, :rid::uuid, 'Bench lead', :stage::uuid, '1250.00', '0', :user::uuid, false, :user::uuid, :user::uuid) RETURNING json_build_object('id', l.id, 'version', l.version, 'created_at', l.created_at, 'updated_at', l.updated_at, 'name', l.name, 'stage', l.stage_id, 'expected_revenue', l.expected_revenue::text, 'probability', l.probability, 'priority', l.priority, 'salesperson', l.salesperson_id, 'archived', l.archived) AS r;
