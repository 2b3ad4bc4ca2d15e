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

/** The values of `$user` and `$tenant` for one viewer. */
export interface Binding {
  user: string;
  tenant: string;
}

/**
 * One CASL ability per role set and module set, shared by every user who has them: rules naming `$user` or
 * `$tenant` keep the variable unbound, and the matcher reads the viewer's values from `binding`, which only
 * Permissions sets, for the length of one synchronous CASL call. Unbound, the matcher throws: a check never
 * falls back to another viewer's values or to none.
 */
export interface SharedAbility {
  readonly casl: AppAbility;
  binding: Binding | null;
  /** Does some rule name `$user` or `$tenant`? Then what the ability allows depends on the viewer. */
  readonly variables: boolean;
  /** Does some rule about reading (`read`, `manage`) name one? Then what the viewer sees depends on who they are. */
  readonly readVariables: boolean;
}

/**
 * Rule conditions stay JSON (CASL packs them for the shell); their parsed form, variables unbound, is kept
 * beside them for the in-memory matcher and for SQL.
 */
const parsed = new WeakMap<object, { model: string; condition: Condition; variables: boolean }>();

export function parsedConditions(conditions: object): { model: string; condition: Condition; variables: boolean } {
  const found = parsed.get(conditions);
  if (!found) throw new Error('conditions that the ability builder did not parse');
  return found;
}

const namesVariable = (grant: object): boolean => /"\$(user|tenant)"/.test(JSON.stringify(grant));

function ruleConditions(schema: TenantSchema, modelId: string, grant: object): object | undefined {
  const model = schema.model(modelId)!;
  const { condition } = checkFilter(model, grant, { source: 'rule', variables: true });
  if (!condition) return undefined; // checked at start-up (manifests) and on save (tenant roles)
  const conditions = structuredClone(grant); // its own object: the parsed form is keyed by it
  parsed.set(conditions, { model: modelId, condition, variables: namesVariable(grant) });
  return conditions;
}

/** CASL rules for one role's permissions, within the models the tenant has on. */
function rulesOf(schema: TenantSchema, permissions: RolePermissionsManifest): Rule[] {
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
        const conditions = ruleConditions(schema, modelId, grant as object);
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
 * Builds the ability of a role set. Admins may do everything within their tenant; every role may read the
 * names of the tenant's users (many2one fields such as a salesperson show them).
 */
export function buildAbility(schema: TenantSchema, roles: RoleDef[]): SharedAbility {
  const rules: Rule[] = [{ action: 'read', subject: 'core.user', fields: ['name', 'email', 'active'] }];
  if (roles.some((r) => r.name === 'admin')) rules.push({ action: 'manage', subject: 'all' });
  for (const role of roles) {
    const sources = role.builtin ? builtinPermissions(schema, role.name) : [role.permissions];
    for (const permissions of sources) rules.push(...rulesOf(schema, permissions));
  }
  const casl = createMongoAbility(rules, { conditionsMatcher: (conditions) => matcherOf(schema, shared, conditions as object) });
  const shared: SharedAbility = {
    casl,
    binding: null,
    variables: rules.some(ruleNamesVariable),
    readVariables: rules.some((r) => [r.action].flat().some((a) => a === 'read' || a === 'manage') && ruleNamesVariable(r)),
  };
  return shared;
}

const ruleNamesVariable = (rule: Rule): boolean => rule.conditions !== undefined && parsedConditions(rule.conditions).variables;

/** A rule's matcher: the condition bound to the viewer of the current check (bound once per viewer in a row). */
function matcherOf(schema: TenantSchema, shared: SharedAbility, conditions: object): (record: RecordData) => boolean {
  const { model, condition, variables } = parsedConditions(conditions);
  const def = schema.model(model)!;
  let boundFor: Binding | null = null;
  let bound = condition;
  return (record) => {
    const binding = shared.binding;
    if (!binding) throw new Error('a rule was checked outside Permissions, with no viewer bound');
    if (variables && binding !== boundFor) {
      bound = bindVariables(condition, binding);
      boundFor = binding;
    }
    return matchesCondition(def, bound, record);
  };
}
