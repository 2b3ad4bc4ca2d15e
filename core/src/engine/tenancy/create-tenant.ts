import { randomUUID } from 'node:crypto';
import { AtriumError } from '../../kernel/errors.ts';
import { hashPassword } from '../auth/password.ts';
import { loginSalt } from '../auth/login-salt.ts';
import { sql } from '../../store/sql.ts';
import type { TenantInfo, UserInfo } from '../../kernel/module-api.ts';
import type { Platform } from '../platform.ts';
import { BUILTIN_ROLES } from '../rbac/abilities.ts';
import { loadModuleData } from './module-data.ts';

export interface NewTenant {
  company: string;
  admin: { name: string; email: string; password: string };
  currency?: string;
  locale?: string;
}

export function slugify(company: string): string {
  const slug = company.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return slug || 'company';
}

/**
 * A new tenant with the builtin roles, its first admin and every shipped module on (with their seed
 * data). The core rows go in one transaction as the owner (a tenant row is the one thing the runtime
 * role may not create); the slug gets a suffix while another tenant holds it.
 */
export async function createTenant(platform: Platform, input: NewTenant): Promise<{ tenant: TenantInfo; user: UserInfo }> {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const email = input.admin.email.toLowerCase();
  const passwordHash = await hashPassword(input.admin.password, platform.config.auth.passwordCost, await loginSalt(platform.db, email));
  const modules = [...platform.registry.modules.keys()];
  const base = slugify(input.company);
  let slug = base;
  for (let attempt = 1; ; attempt++) {
    const taken = await platform.db.system(sql`SELECT 1 FROM core_tenants WHERE slug = ${slug}`);
    if (taken.length === 0) {
      try {
        await platform.db.transaction('system', (tx) => tx.commit(
          sql`INSERT INTO core_tenants (id, slug, name, currency, locale) VALUES (${tenantId}::uuid, ${slug}, ${input.company}, ${input.currency ?? 'USD'}, ${input.locale ?? 'en-US'})`,
          sql`INSERT INTO core_event_cursors (tenant_id) VALUES (${tenantId}::uuid)`,
          sql`INSERT INTO core_roles (tenant_id, id, name, builtin) SELECT ${tenantId}::uuid, gen_random_uuid(), r, true FROM unnest(${[...BUILTIN_ROLES]}::text[]) r`,
          sql`INSERT INTO core_users (tenant_id, id, email, name, password_hash) VALUES (${tenantId}::uuid, ${userId}::uuid, ${email}, ${input.admin.name}, ${passwordHash})`,
          sql`INSERT INTO core_user_roles (tenant_id, user_id, role_id) SELECT ${tenantId}::uuid, ${userId}::uuid, id FROM core_roles WHERE tenant_id = ${tenantId}::uuid AND name = 'admin'`,
          sql`INSERT INTO core_tenant_modules (tenant_id, module, enabled) SELECT ${tenantId}::uuid, m, true FROM unnest(${modules}::text[]) m`,
        ));
        break;
      } catch (error) {
        if (!(error instanceof AtriumError && error.statusCode === 409) || attempt > 20) throw error;
      }
    }
    slug = `${base.slice(0, 36)}-${attempt + 1}`;
  }
  const tenant: TenantInfo = { id: tenantId, slug, name: input.company, currency: input.currency ?? 'USD', locale: input.locale ?? 'en-US' };
  const schema = platform.schemas.for(modules);
  for (const module of platform.registry.modules.values()) await loadModuleData(platform, tenant, schema, module, 'data');
  return { tenant, user: { id: userId, name: input.admin.name, email } };
}
