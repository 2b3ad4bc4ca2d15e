import { AtriumError } from '../../kernel/errors.ts';
import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';
import type { TenantInfo, UserInfo } from '../../kernel/module-api.ts';
import type { RolePermissionsManifest } from '../../kernel/manifest/manifest-types.ts';
import { buildAbility, usesVariable, type AppAbility, type RoleDef } from '../rbac/abilities.ts';
import type { ControlMessage } from '../events/bus.ts';
import type { TenantSchema, TenantSchemas } from '../../kernel/registry/tenant-registry.ts';
import { tenantStateOf, tenantStateSql, type TenantState } from './tenant-state.ts';
import { planNamed, type Plan, type Plans } from '../../kernel/plans.ts';

/** Who is asking, resolved from a token: tenant, user, roles, the tenant's modules and the ability. */
export interface Session {
  tenant: TenantInfo;
  user: UserInfo;
  roles: RoleDef[];
  schema: TenantSchema;
  ability: AppAbility;
  /** Whether the user confirmed their email address (sign-up's verification mail). */
  emailVerified: boolean;
  /** The tenant's plan, as cached with the tenant (a plan change reaches every node through the bus). */
  plan: Plan;
}

/** A tenant as cached, with its plan resolved. */
interface CachedTenant extends Omit<TenantState, 'plan'> {
  plan: Plan;
  loadedAt: number;
}

interface UserState {
  user: UserInfo & { active: boolean; tokens_valid_after: Date | null; email_verified_at: Date | null };
  roles: RoleDef[];
  /** The roles as part of an ability's cache key (computed on first use). */
  rolesKey?: string;
  loadedAt: number;
}

interface Sharing {
  perUser: boolean;
  perTenant: boolean;
  /** The enabled modules (and a tenant's custom fields: TenantSchema.key), as part of an ability's cache key. */
  modules: string;
}

// A backstop only: changes are pushed to every node at once (ControlMessage); this bounds a missed one.
const TTL_MS = 60_000;

/**
 * Resolves and caches sessions, so an authenticated request costs no extra round trip. Role, module, plan
 * and user changes invalidate the cache on every node through the bus, so a deactivated user's token
 * stops working at the next request.
 */
export class Sessions {
  private readonly tenants = new Map<string, CachedTenant>();
  private readonly users = new Map<string, UserState>();
  private readonly abilities = new Map<string, AppAbility>();
  private readonly sharings = new WeakMap<TenantSchema, Map<string, Sharing>>();
  /** Counts invalidations, so that a read in flight across one does not put what it read back in the cache. */
  private invalidations = 0;

  constructor(
    private readonly db: Database,
    private readonly schemas: TenantSchemas,
    private readonly plans: Plans,
  ) {}

  invalidate(message: ControlMessage): void {
    this.invalidations++;
    if (message.kind === 'tenant') {
      this.tenants.delete(message.tenantId);
      for (const id of this.users.keys()) if (id.startsWith(`${message.tenantId}:`)) this.users.delete(id);
      for (const key of this.abilities.keys()) if (key.startsWith(`${message.tenantId}|`)) this.abilities.delete(key);
    } else if (message.userId) {
      this.users.delete(`${message.tenantId}:${message.userId}`);
    }
  }

  /** The session of a token issued at `issuedAt` (ms); refused when the user was deactivated or logged out since. */
  async resolve(tenantId: string, userId: string, issuedAt: number): Promise<Session> {
    const now = Date.now();
    let tenant = this.tenants.get(tenantId);
    let user = this.users.get(`${tenantId}:${userId}`);
    if (!tenant || now - tenant.loadedAt > TTL_MS || !user || now - user.loadedAt > TTL_MS) {
      ({ tenant, user } = await this.load(tenantId, userId, now));
    }
    if (!user.user.active) throw AtriumError.unauthorized('This account is deactivated');
    if (tenant.suspended) throw AtriumError.tenantSuspended();
    if (user.user.tokens_valid_after && issuedAt < user.user.tokens_valid_after.getTime())
      throw AtriumError.unauthorized('This session has ended; please log in again');
    const { schema } = tenant;
    const { id, name, email } = user.user;
    return {
      tenant: tenant.tenant,
      user: { id, name, email },
      roles: user.roles,
      schema,
      ability: this.ability(tenant.tenant.id, schema, user),
      emailVerified: user.user.email_verified_at !== null,
      plan: tenant.plan,
    };
  }

  /**
   * Abilities are shared by everyone with the same roles and modules: within a tenant, and across tenants
   * when no rule names `$user` or `$tenant` (builtin roles' rules come from the manifests, a tenant role's
   * permissions are part of the key). A thousand sockets then hold a few abilities, not a thousand.
   */
  private ability(tenantId: string, schema: TenantSchema, user: UserState): AppAbility {
    user.rolesKey ??= user.roles
      .map((r) => `${r.name}:${r.builtin ? '' : JSON.stringify(r.permissions)}`)
      .sort()
      .join(';');
    const { perUser, perTenant, modules } = this.sharing(schema, user.roles, user.rolesKey);
    const key = `${perTenant ? tenantId : '*'}|${modules}|${user.rolesKey}|${perUser ? user.user.id : ''}`;
    let ability = this.abilities.get(key);
    if (!ability) {
      if (this.abilities.size > 10_000) this.abilities.clear();
      ability = buildAbility(schema, user.roles, { user: user.user.id, tenant: tenantId });
      this.abilities.set(key, ability);
    }
    return ability;
  }

  /** Whether abilities of these roles depend on the user or the tenant; computed once per module set and roles. */
  private sharing(schema: TenantSchema, roles: RoleDef[], rolesKey: string): Sharing {
    let bySchema = this.sharings.get(schema);
    if (!bySchema) this.sharings.set(schema, (bySchema = new Map()));
    let found = bySchema.get(rolesKey);
    if (!found) {
      const perUser = usesVariable(schema, roles, '$user');
      found = { perUser, perTenant: perUser || usesVariable(schema, roles, '$tenant'), modules: schema.key };
      if (bySchema.size < 10_000) bySchema.set(rolesKey, found);
    }
    return found;
  }

  private async load(tenantId: string, userId: string, now: number): Promise<{ tenant: CachedTenant; user: UserState }> {
    const invalidations = this.invalidations;
    const [userRows, roleRows, ...tenantRows] = await this.db.batch(tenantId, [
      sql`SELECT id, name, email, active, tokens_valid_after, email_verified_at FROM core_users WHERE tenant_id = ${tenantId}::uuid AND id = ${userId}::uuid`,
      sql`SELECT r.name, r.builtin, r.permissions FROM core_user_roles ur JOIN core_roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE ur.tenant_id = ${tenantId}::uuid AND ur.user_id = ${userId}::uuid`,
      ...tenantStateSql(tenantId),
    ]);
    const state = tenantStateOf(this.schemas, tenantId, tenantRows);
    if (!state || userRows.rows.length === 0) throw AtriumError.unauthorized();
    const tenant: CachedTenant = { ...state, plan: planNamed(this.plans, state.plan), loadedAt: now };
    const user: UserState = {
      user: userRows.rows[0] as UserState['user'],
      roles: roleRows.rows.map((r) => ({
        name: r.name as string,
        builtin: r.builtin as boolean,
        permissions: r.permissions as RolePermissionsManifest,
      })),
      loadedAt: now,
    };
    // A change committed while this read was in flight may not be in it: serve it to this caller only.
    if (invalidations === this.invalidations) {
      this.tenants.set(tenantId, tenant);
      this.users.set(`${tenantId}:${userId}`, user);
    }
    return { tenant, user };
  }
}
