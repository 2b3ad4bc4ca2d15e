-- Kanban column totals (docs/decisions.md, "Kanban totals kept by the database"): for each (model, group-by field,
-- sum field) a manifest's kanban view declares, the count and sum per group value — and per `archived` value
-- when the model has that field (NULL otherwise). Kept by statement-level triggers on the model's table
-- (store/group-totals-ddl.ts), which only ever insert deltas; a reader folds a pile of them into one row per
-- key (engine/records/group-totals.ts). No primary key: many rows per key until folded.
CREATE TABLE core_group_totals (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  model text NOT NULL,
  group_by text NOT NULL,
  -- '' when the view sums nothing (the count alone).
  sum_field text NOT NULL,
  archived boolean,
  -- The group's value as text (NULL: the empty column), cast back to the field's type when read.
  key text,
  count bigint NOT NULL,
  sum numeric NOT NULL
);
CREATE INDEX core_group_totals_pair_idx ON core_group_totals (tenant_id, model, group_by, sum_field);

ALTER TABLE core_group_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_group_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core_group_totals USING (tenant_id = core_current_tenant()) WITH CHECK (tenant_id = core_current_tenant());
GRANT SELECT, INSERT, DELETE ON core_group_totals TO atrium_app;
