import { randomUUID } from 'node:crypto';
import { AtriumError } from '../../kernel/errors.ts';
import { hashPassword } from '../auth/password.ts';
import { loginSalt } from '../auth/login-salt.ts';
import { sql, type Sql } from '../../store/sql.ts';
import type { TenantInfo, UserInfo } from '../../kernel/module-api.ts';
import type { Platform } from '../platform.ts';
import { BUILTIN_ROLES } from '../rbac/abilities.ts';
import { ModuleData } from './module-data.ts';

export interface NewTenant {
  company: string;
  admin: { name: string; email: string; password: string };
  currency?: string;
  locale?: string;
}

export function slugify(company: string): string {
  const slug = company
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'company';
}

/** What a caller adds to a new tenant in the same transaction (the demo company: its people, then demo data). */
export interface TenantExtras {
  /** Rows written as the owner after the core rows, before any seed data. */
  rows?: (tenantId: string, adminId: string) => Sql[];
  /** Load each module's `demo` files after its `data` files. */
  demo?: boolean;
}

/**
 * A new tenant with the builtin roles, its first admin and every shipped module on, with their seed
 * data: all in one transaction, so a failure anywhere leaves nothing (no tenant whose admin can log in
 * but whose modules lack their data). The core rows go in as the owner (a tenant row is the one thing
 * the runtime role may not create), the seed data as the tenant. The slug gets a suffix while another
 * tenant holds it (or a signup in flight is taking it: its INSERT waits for that one to end).
 */
export async function createTenant(
  platform: Platform,
  input: NewTenant,
  extras: TenantExtras = {},
): Promise<{ tenant: TenantInfo; user: UserInfo }> {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const email = input.admin.email.toLowerCase();
  const passwordHash = await hashPassword(input.admin.password, platform.config.auth.passwordCost, await loginSalt(platform.db, email));
  const modules = [...platform.registry.modules.keys()];
  const base = slugify(input.company);
  const currency = input.currency ?? 'USD';
  const locale = input.locale ?? 'en-US';
  const tenant = await platform.db.transaction('system', async (tx): Promise<TenantInfo> => {
    let slug = base;
    for (let attempt = 1; ; attempt++) {
      const [inserted] =
        await tx.query(sql`INSERT INTO core_tenants (id, slug, name, currency, locale, plan) VALUES (${tenantId}::uuid, ${slug}, ${input.company}, ${currency}, ${locale}, ${platform.config.plans.default})
        ON CONFLICT (slug) DO NOTHING RETURNING id`);
      if (inserted.rows.length === 1) break;
      if (attempt > 20) throw AtriumError.conflict(`Too many companies are named like "${input.company}"`);
      slug = `${base.slice(0, 36)}-${attempt + 1}`;
    }
    await tx.query(
      sql`INSERT INTO core_event_cursors (tenant_id) VALUES (${tenantId}::uuid)`,
      sql`INSERT INTO core_roles (tenant_id, id, name, builtin) SELECT ${tenantId}::uuid, gen_random_uuid(), r, true FROM unnest(${[...BUILTIN_ROLES]}::text[]) r`,
      sql`INSERT INTO core_users (tenant_id, id, email, name, password_hash) VALUES (${tenantId}::uuid, ${userId}::uuid, ${email}, ${input.admin.name}, ${passwordHash})`,
      sql`INSERT INTO core_user_roles (tenant_id, user_id, role_id) SELECT ${tenantId}::uuid, ${userId}::uuid, id FROM core_roles WHERE tenant_id = ${tenantId}::uuid AND name = 'admin'`,
      sql`INSERT INTO core_tenant_modules (tenant_id, module, enabled) SELECT ${tenantId}::uuid, m, true FROM unnest(${modules}::text[]) m`,
      ...(extras.rows?.(tenantId, userId) ?? []),
    );
    await tx.enter(tenantId);
    const tenant: TenantInfo = { id: tenantId, slug, name: input.company, currency, locale };
    const data = new ModuleData(platform, tx, tenant, platform.schemas.for(modules));
    for (const module of platform.registry.modules.values()) await data.load(module, 'data');
    if (extras.demo) for (const module of platform.registry.modules.values()) await data.load(module, 'demo');
    await data.commit();
    return tenant;
  });
  return { tenant, user: { id: userId, name: input.admin.name, email } };
}
