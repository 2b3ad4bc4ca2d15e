/**
 * Databases and data, in fast SQL (INSERT … SELECT generate_series), never through HTTP. Atrium's
 * tenants are inserted as createTenant would make them (core rows, builtin roles, every module on, the
 * CRM stages); the raw baseline gets tables of the same shape and the same leads.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { BENCH_PLAN, dbUrl, PG_ADMIN_URL, SECRET } from './settings.ts';
import { signToken } from './tokens.ts';

export type Role = 'user' | 'manager' | 'admin';
export interface BenchUser {
  id: string;
  role: Role;
  token: string;
}
export interface BenchTenant {
  id: string;
  users: BenchUser[];
  /** The first stage (a kanban column's quick create names it). */
  stage: string;
}

/** Ten users a tenant, of three roles; the first (a `user`, with its record rule) is the one that writes. */
const ROLES: Role[] = ['user', 'user', 'user', 'user', 'manager', 'manager', 'manager', 'admin', 'admin', 'admin'];
const STAGES: [string, number, boolean][] = [
  ['New', 1, false],
  ['Qualifying', 2, false],
  ['Proposition', 3, false],
  ['Won', 70, true],
];
const MODULES = ['contacts', 'crm', 'quotations', 'projects'];

/** What the seed functions below run their SQL on: a `pg` client, or PGlite itself (scenarios/pglite.ts). */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<unknown>;
}
/** A database name on the bench's PostgreSQL, or an open client. */
export type Database = string | Sql;
const using = <T>(db: Database, work: (client: Sql) => Promise<T>): Promise<T> =>
  typeof db === 'string' ? withClient(dbUrl(db), work) : work(db);

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(name: string): Promise<void> {
  await withClient(PG_ADMIN_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withClient(PG_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Tenants with ten users each and the CRM stages, as core rows in Atrium's database (which it has migrated). */
export async function seedAtriumTenants(db: Database, count: number): Promise<BenchTenant[]> {
  const tenants: BenchTenant[] = Array.from({ length: count }, () => {
    const id = randomUUID();
    return { id, stage: randomUUID(), users: ROLES.map((role) => ({ id: randomUUID(), role, token: '' })) };
  });
  for (const t of tenants) for (const u of t.users) u.token = signToken(SECRET, t.id, u.id);
  const ids = tenants.map((t) => t.id);
  const userRows = tenants.flatMap((t) => t.users.map((u, i) => [t.id, u.id, u.role, i]));
  await using(db, async (c) => {
    await c.query('BEGIN');
    await c.query(`INSERT INTO core_tenants (id, slug, name, plan) SELECT t, 'bench-' || t, 'Bench ' || t, $2 FROM unnest($1::uuid[]) t`, [
      ids,
      BENCH_PLAN,
    ]);
    await c.query('INSERT INTO core_event_cursors (tenant_id) SELECT unnest($1::uuid[])', [ids]);
    await c.query(
      `INSERT INTO core_roles (tenant_id, id, name, builtin) SELECT t, gen_random_uuid(), r, true FROM unnest($1::uuid[]) t, unnest($2::text[]) r`,
      [ids, ['admin', 'manager', 'user']],
    );
    await c.query(
      `INSERT INTO core_tenant_modules (tenant_id, module, enabled, seeded_at) SELECT t, m, true, now() FROM unnest($1::uuid[]) t, unnest($2::text[]) m`,
      [ids, MODULES],
    );
    await c.query(
      `INSERT INTO crm_stage (tenant_id, id, name, sequence, fold, is_won)
       SELECT t.t, CASE WHEN s.seq = 1 THEN t.first ELSE gen_random_uuid() END, s.name, s.seq, false, s.won
       FROM unnest($1::uuid[], $2::uuid[]) t(t, first), unnest($3::text[], $4::int[], $5::bool[]) s(name, seq, won)`,
      [ids, tenants.map((t) => t.stage), STAGES.map((s) => s[0]), STAGES.map((s) => s[1]), STAGES.map((s) => s[2])],
    );
    await c.query(
      `INSERT INTO core_users (tenant_id, id, email, name, password_hash)
       SELECT u.t, u.id, u.role || u.n || '@' || u.t || '.example', 'Bench ' || u.role || ' ' || u.n, 'none'
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[]) u(t, id, role, n)`,
      [userRows.map((r) => r[0]), userRows.map((r) => r[1]), userRows.map((r) => r[2]), userRows.map((r) => r[3])],
    );
    await c.query(
      `INSERT INTO core_user_roles (tenant_id, user_id, role_id) SELECT u.t, u.id, r.id
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) u(t, id, role) JOIN core_roles r ON r.tenant_id = u.t AND r.name = u.role`,
      [userRows.map((r) => r[0]), userRows.map((r) => r[1]), userRows.map((r) => r[2])],
    );
    await c.query('COMMIT');
  });
  return tenants;
}

/** The raw baseline's tables: the same columns and indexes as Atrium's crm_lead and crm_stage. */
export async function createRawSchema(db: string): Promise<void> {
  await withClient(dbUrl(db), (c) =>
    c.query(`
    CREATE TABLE stage (tenant_id uuid NOT NULL, id uuid NOT NULL, version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), created_by uuid, updated_by uuid,
      name text, sequence int, fold boolean, is_won boolean, PRIMARY KEY (tenant_id, id));
    CREATE TABLE lead (tenant_id uuid NOT NULL, id uuid NOT NULL, version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), created_by uuid, updated_by uuid,
      name text, customer_id uuid, contact_name text, email text, phone text, stage_id uuid, expected_revenue numeric,
      probability double precision, priority text, salesperson_id uuid, deadline date, description text, lost_reason_id uuid,
      closed_on date, archived boolean, PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, stage_id) REFERENCES stage (tenant_id, id));
    CREATE INDEX lead_created_idx ON lead (tenant_id, created_at);
    CREATE INDEX lead_customer_idx ON lead (tenant_id, customer_id);
    CREATE INDEX lead_lost_reason_idx ON lead (tenant_id, lost_reason_id);
    CREATE INDEX lead_salesperson_idx ON lead (tenant_id, salesperson_id);
    CREATE INDEX lead_stage_idx ON lead (tenant_id, stage_id);`),
  );
}

/** The same stages in the raw database (same ids), so groups join the same way. */
export async function seedRawStages(db: string, tenants: BenchTenant[]): Promise<void> {
  await withClient(dbUrl(db), (c) =>
    c.query(
      `INSERT INTO stage (tenant_id, id, name, sequence, fold, is_won)
    SELECT t.t, CASE WHEN s.seq = 1 THEN t.first ELSE gen_random_uuid() END, s.name, s.seq, false, s.won
    FROM unnest($1::uuid[], $2::uuid[]) t(t, first), unnest($3::text[], $4::int[], $5::bool[]) s(name, seq, won)`,
      [tenants.map((t) => t.id), tenants.map((t) => t.stage), STAGES.map((s) => s[0]), STAGES.map((s) => s[1]), STAGES.map((s) => s[2])],
    ),
  );
}

/**
 * `perTenant` leads for each tenant, spread over its stages and over the last weeks, owned by its first
 * user. `table`/`stageTable` name Atrium's or the raw tables (same columns).
 */
export async function seedLeads(db: Database, table: string, stageTable: string, tenants: BenchTenant[], perTenant: number): Promise<void> {
  await using(db, async (c) => {
    await c.query(
      `INSERT INTO ${table} (tenant_id, id, name, stage_id, expected_revenue, probability, priority, salesperson_id, archived, created_at, updated_at, created_by, updated_by)
       SELECT t.t, gen_random_uuid(), 'Lead ' || g, st.ids[1 + g % array_length(st.ids, 1)], (g % 997) * 12.5, (g % 10) * 10, (g % 4)::text,
              t.owner, false, now() - g * interval '1 minute', now() - g * interval '1 minute', t.owner, t.owner
       FROM unnest($1::uuid[], $2::uuid[]) t(t, owner)
       CROSS JOIN LATERAL (SELECT array_agg(id ORDER BY sequence) AS ids FROM ${stageTable} WHERE tenant_id = t.t) st
       CROSS JOIN generate_series(1, $3::int) g`,
      [tenants.map((t) => t.id), tenants.map((t) => t.users[0].id), perTenant],
    );
    await c.query(`VACUUM ANALYZE ${table}`);
  });
}

/** `perTenant` leads without relations for each tenant id of `tenants` (a SQL relation with an `id` column). */
const extraLeads = (table: string, tenants: string): string =>
  `INSERT INTO ${table} (tenant_id, id, name, expected_revenue, priority, archived, created_at, updated_at)
   SELECT e.id, gen_random_uuid(), 'Lead ' || g, g * 10, '0', false, now() - g * interval '1 minute', now() - g * interval '1 minute'
   FROM ${tenants} e CROSS JOIN generate_series(1, $1::int) g`;

/**
 * Tenant scaling: `count` more tenants (core rows only) with `perTenant` leads each, without relations,
 * in Atrium's database; returns how many tenants have leads afterwards.
 */
export async function seedExtraTenants(db: string, count: number, perTenant: number): Promise<number> {
  return withClient(dbUrl(db), async (c) => {
    await c.query('BEGIN');
    await c.query(`CREATE TEMP TABLE extra ON COMMIT DROP AS SELECT gen_random_uuid() AS id FROM generate_series(1, $1::int)`, [count]);
    await c.query(`INSERT INTO core_tenants (id, slug, name) SELECT id, 'extra-' || id, 'Extra ' || id FROM extra`);
    await c.query('INSERT INTO core_event_cursors (tenant_id) SELECT id FROM extra');
    await c.query(extraLeads('crm_lead', 'extra'), [perTenant]);
    await c.query('COMMIT');
    await c.query('VACUUM ANALYZE crm_lead');
    const { rows } = await c.query('SELECT count(DISTINCT tenant_id)::int AS n FROM crm_lead');
    return rows[0].n as number;
  });
}

/** The same leads for `count` more tenants in the raw baseline's database (it has no tenant table). */
export async function seedRawExtraTenants(db: string, count: number, perTenant: number): Promise<void> {
  await withClient(dbUrl(db), async (c) => {
    await c.query(extraLeads('lead', '(SELECT gen_random_uuid() AS id FROM generate_series(1, $2::int))'), [perTenant, count]);
    await c.query('VACUUM ANALYZE lead');
  });
}

/** Deletes the leads a create measurement made (named "Bench lead"), then vacuums: the next reads see the seeded table. */
export async function deleteBenchLeads(db: string, table: string): Promise<void> {
  await withClient(dbUrl(db), async (c) => {
    await c.query(`DELETE FROM ${table} WHERE name = 'Bench lead'`);
    await c.query(`VACUUM ANALYZE ${table}`);
  });
}
