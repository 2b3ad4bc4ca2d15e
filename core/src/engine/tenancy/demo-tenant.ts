import { randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/password.ts';
import { sql, type Sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';
import { createTenant } from './create-tenant.ts';

/**
 * The demo company's people, at least one per builtin role. Demo data files name them as
 * `{"$ref": "core.demo_<key>"}` (a salesperson, say).
 */
export const DEMO_USERS = [
  { key: 'admin', name: 'Mitchell Admin', email: 'admin@demo.example', roles: ['admin'] },
  { key: 'manager', name: 'Marc Manager', email: 'manager@demo.example', roles: ['manager'] },
  { key: 'user', name: 'Sally Sales', email: 'sally@demo.example', roles: ['user'] },
  { key: 'user_2', name: 'Sam Sales', email: 'sam@demo.example', roles: ['user'] },
] as const;

export const DEMO_PASSWORD = 'atrium-demo';

export interface DemoTenant {
  slug: string;
  password: string;
  users: { email: string; roles: readonly string[] }[];
}

/**
 * On an empty database only: a demo tenant with every shipped module, the demo users and each module's
 * `demo` data files, loaded in dependency order. Returns null when any tenant exists already.
 */
/** Printed under the company's name on its documents (a quotation's PDF). */
const DEMO_ADDRESS = '250 Executive Park Blvd, Suite 3400\nSan Francisco CA 94134\nUnited States';

export async function createDemoTenant(platform: Platform): Promise<DemoTenant | null> {
  const existing = await platform.db.system(sql`SELECT 1 FROM core_tenants LIMIT 1`);
  if (existing.length > 0) return null;
  const [admin, ...others] = DEMO_USERS;
  const people = await Promise.all(
    others.map(async (other) => ({
      ...other,
      id: randomUUID(),
      hash: await hashPassword(DEMO_PASSWORD, platform.config.auth.passwordCost),
    })),
  );
  // The demo people and the keys that demo data files name them by, in the tenant's own transaction.
  const rows = (tenantId: string, adminId: string): Sql[] => [
    sql`UPDATE core_tenants SET address = ${DEMO_ADDRESS} WHERE id = ${tenantId}::uuid`,
    ...people.flatMap((p) => [
      sql`INSERT INTO core_users (tenant_id, id, email, name, password_hash) VALUES (${tenantId}::uuid, ${p.id}::uuid, ${p.email}, ${p.name}, ${p.hash})`,
      sql`INSERT INTO core_user_roles (tenant_id, user_id, role_id) SELECT ${tenantId}::uuid, ${p.id}::uuid, id FROM core_roles WHERE tenant_id = ${tenantId}::uuid AND name = ANY(${p.roles}::text[])`,
    ]),
    ...[{ key: admin.key, id: adminId }, ...people].map(
      (p) =>
        sql`INSERT INTO core_data_keys (tenant_id, key, model, record_id) VALUES (${tenantId}::uuid, ${`core.demo_${p.key}`}, 'core.user', ${p.id}::uuid)`,
    ),
    // Addresses nobody can confirm: the demo's people start confirmed, without the sign-up banner.
    sql`UPDATE core_users SET email_verified_at = now() WHERE tenant_id = ${tenantId}::uuid`,
  ];
  const { tenant } = await createTenant(
    platform,
    { company: 'Demo Company', admin: { name: admin.name, email: admin.email, password: DEMO_PASSWORD } },
    { rows, demo: true },
  );
  return { slug: tenant.slug, password: DEMO_PASSWORD, users: DEMO_USERS.map(({ email, roles }) => ({ email, roles })) };
}
