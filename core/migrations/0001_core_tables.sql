-- Core tables: tenants, users, roles, the modules each tenant has on, and the event log (outbox).
-- Every table but core_tenants carries tenant_id first in its primary key, so the schema can be distributed by tenant.

CREATE TABLE core_tenants (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  currency text NOT NULL DEFAULT 'USD',
  locale text NOT NULL DEFAULT 'en-US',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core_users (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);
-- Login by email across tenants (the tenant is not known yet).
CREATE INDEX core_users_email_idx ON core_users (email);

CREATE TABLE core_roles (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  permissions jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);

CREATE TABLE core_user_roles (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, user_id, role_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core_users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, role_id) REFERENCES core_roles (tenant_id, id) ON DELETE RESTRICT
);

CREATE TABLE core_tenant_modules (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  module text NOT NULL,
  enabled boolean NOT NULL,
  seeded_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, module)
);

-- One row per tenant: the last event cursor handed out. Taking the next one locks this row until commit,
-- so within a tenant cursors become visible in commit order (see core/src/events/outbox.ts).
CREATE TABLE core_event_cursors (
  tenant_id uuid PRIMARY KEY REFERENCES core_tenants (id),
  last bigint NOT NULL DEFAULT 0
);

CREATE TABLE core_events (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL,
  model text NOT NULL,
  record_id uuid NOT NULL,
  op text NOT NULL CHECK (op IN ('created', 'updated', 'deleted')),
  version integer NOT NULL,
  actor uuid,
  at timestamptz NOT NULL DEFAULT now(),
  changes jsonb NOT NULL DEFAULT '{}',
  record jsonb,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX core_events_record_idx ON core_events (tenant_id, model, record_id, seq);
CREATE INDEX core_events_at_idx ON core_events (at);

-- Per-tenant counters for document numbers (S00001, ...): UPDATE ... RETURNING never hands one out twice.
CREATE TABLE core_sequences (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  name text NOT NULL,
  last bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, name)
);

-- Keys of seeded records ("crm.stage_won"), so data files can refer to each other and never load twice.
CREATE TABLE core_data_keys (
  tenant_id uuid NOT NULL REFERENCES core_tenants (id),
  key text NOT NULL,
  model text NOT NULL,
  record_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
