import { createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import type { RolePermissionsManifest } from '../../kernel/manifest/manifest-types.ts';
import { bindVariables, checkFilter, type Condition } from '../../kernel/filter/filter-language.ts';
import { matchesCondition } from '../../kernel/filter/filter-match.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';

export type AppAbility = MongoAbility;
type Rule = RawRuleOf<AppAbility>;

export const BUILTIN_ROLES = ['admin', 'manager', 'user'] as const;
const CRUD = ['read', 'create', 'update', 'delete'];

/** A role as the core knows it: builtin roles take their permissions from the manifests, others from the database. */
export interface RoleDef {
  name: string;
  builtin: boolean;
  permissions: RolePermissionsManifest;
}

/**
 * Rule conditions stay JSON (CASL packs them for the shell); their parsed form, with $user and $tenant
 * bound, is kept beside them for the in-memory matcher and for SQL.
 */
const parsed = new WeakMap<object, { model: string; condition: Condition }>();

export function parsedConditions(conditions: object): { model: string; condition: Condition } {
  const found = parsed.get(conditions);
  if (!found) throw new Error('conditions that the ability builder did not parse');
  return found;
}

function ruleConditions(schema: TenantSchema, modelId: string, grant: object, vars: { user: string; tenant: string }): object | undefined {
  const model = schema.model(modelId)!;
  const { condition } = checkFilter(model, grant, { source: 'rule', variables: true });
  if (!condition) return undefined; // checked at start-up (manifests) and on save (tenant roles)
  const conditions = JSON.parse(
    JSON.stringify(grant).replaceAll('"$user"', JSON.stringify(vars.user)).replaceAll('"$tenant"', JSON.stringify(vars.tenant)),
  ) as object;
  parsed.set(conditions, { model: modelId, condition: bindVariables(condition, vars) });
  return conditions;
}

/** CASL rules for one role's permissions, within the models the tenant has on. */
function rulesOf(schema: TenantSchema, permissions: RolePermissionsManifest, vars: { user: string; tenant: string }): Rule[] {
  const rules: Rule[] = [];
  for (const [modelId, permission] of Object.entries(permissions)) {
    const model = schema.model(modelId);
    if (!model) continue;
    const readFields = permission.fields?.read;
    const writeFields = permission.fields?.write ?? readFields;
    for (const [action, grant] of Object.entries(permission)) {
      if (action === 'fields' || grant === false || grant === undefined) continue;
      if (!CRUD.includes(action) && !model.actions[action]) continue;
      const fields = action === 'read' ? readFields : action === 'create' || action === 'update' ? writeFields : undefined;
      const rule: Rule = { action, subject: modelId };
      if (fields) rule.fields = fields;
      if (grant !== true) {
        const conditions = ruleConditions(schema, modelId, grant as object, vars);
        if (!conditions) continue;
        rule.conditions = conditions as Rule['conditions'];
      }
      rules.push(rule);
    }
  }
  return rules;
}

/** The permissions a builtin role gets from the enabled modules' manifests (and active extensions). */
export function builtinPermissions(schema: TenantSchema, role: string): RolePermissionsManifest[] {
  return schema.grants.filter((g) => g.role === role).map((g) => g.permissions);
}

/**
 * Builds the ability of a user from their roles. Admins may do everything within their tenant; every
 * role may read the names of the tenant's users (many2one fields such as a salesperson show them).
 */
export function buildAbility(schema: TenantSchema, roles: RoleDef[], vars: { user: string; tenant: string }): AppAbility {
  const rules: Rule[] = [{ action: 'read', subject: 'core.user', fields: ['name', 'email', 'active'] }];
  if (roles.some((r) => r.name === 'admin')) rules.push({ action: 'manage', subject: 'all' });
  for (const role of roles) {
    const sources = role.builtin ? builtinPermissions(schema, role.name) : [role.permissions];
    for (const permissions of sources) rules.push(...rulesOf(schema, permissions, vars));
  }
  return createMongoAbility(rules, {
    conditionsMatcher: (conditions) => {
      const { model, condition } = parsedConditions(conditions as object);
      const def = schema.model(model)!;
      return (record: RecordData) => matchesCondition(def, condition, record);
    },
  });
}

/**
 * Do any of these roles' rules name `$user` (then the ability cannot be shared between users) or
 * `$tenant` (then not between tenants)?
 */
export function usesVariable(schema: TenantSchema, roles: RoleDef[], variable: '$user' | '$tenant'): boolean {
  return roles.some((role) =>
    (role.builtin ? builtinPermissions(schema, role.name) : [role.permissions]).some((p) => JSON.stringify(p).includes(`"${variable}"`)),
  );
}
