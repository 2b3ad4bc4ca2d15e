import { AtriumError } from '../../kernel/errors.ts';
import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';
import type { TenantInfo, UserInfo } from '../../kernel/module-api.ts';
import type { RolePermissionsManifest } from '../../kernel/manifest/manifest-types.ts';
import { buildAbility, type RoleDef, type SharedAbility } from '../rbac/abilities.ts';
import { Permissions } from '../rbac/permissions.ts';
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
  /** What the user may do: their role set's shared ability, judged with their own `$user` and `$tenant`. */
  ability: Permissions;
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
  private readonly abilities = new Map<string, SharedAbility>();
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
      ability: new Permissions(this.ability(schema, user), { user: id, tenant: tenant.tenant.id }),
      emailVerified: user.user.email_verified_at !== null,
      plan: tenant.plan,
    };
  }

  /**
   * One ability per role set and module set, whoever holds it: rules naming `$user` or `$tenant` keep them
   * unbound, and each session's Permissions binds its own (builtin roles' rules come from the manifests, a
   * tenant role's permissions are part of the key). A thousand sockets then hold a few abilities, not a thousand.
   */
  private ability(schema: TenantSchema, user: UserState): SharedAbility {
    user.rolesKey ??= user.roles
      .map((r) => `${r.name}:${r.builtin ? '' : JSON.stringify(r.permissions)}`)
      .sort()
      .join(';');
    const key = `${schema.key}|${user.rolesKey}`;
    let ability = this.abilities.get(key);
    if (!ability) {
      if (this.abilities.size > 10_000) this.abilities.clear();
      ability = buildAbility(schema, user.roles);
      this.abilities.set(key, ability);
    }
    return ability;
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
