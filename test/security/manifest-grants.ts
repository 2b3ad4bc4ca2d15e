import {
  type Grant,
  type RolePermissionsManifest,
  type ModelDef,
  type Registry,
  bindVariables,
  checkFilter,
  matchesCondition,
} from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';

/** What a role is granted for one action on one model: true, false, or the record rules (any of which allows). */
export type Granted = true | false | Record<string, unknown>[];

/** The actions a model has: CRUD and its declared ones. */
export const actionsOf = (model: ModelDef): string[] => ['read', 'create', 'update', 'delete', ...Object.keys(model.actions)];

/** One role's grants, as role permissions of a manifest or a tenant role say them. */
function granted(grants: (Grant | undefined)[]): Granted {
  if (grants.includes(true)) return true;
  const rules = grants.filter((g): g is Record<string, unknown> => typeof g === 'object' && g !== null);
  return rules.length > 0 ? rules : false;
}

/**
 * A role's grant for an action on a model. Every role reads the tenant's users (core.user), admins the core's
 * other models (roles, the company, module switches); nobody writes them through the record API (the administration API does). Admins may do everything else; builtin roles
 * take their grants from every manifest and extension that speaks of the model; a tenant role from its own
 * permissions.
 */
export function grantOf(registry: Registry, role: string | RolePermissionsManifest, model: ModelDef, action: string): Granted {
  // Users are read by every role (many2one fields show them); the core's other models by admins only.
  if (model.system) return action === 'read' && (model.id === 'core.user' || role === 'admin');
  if (role === 'admin') return true;
  if (typeof role === 'object') return granted([role[model.id]?.[action] as Grant | undefined]);
  return granted(registry.grants.filter((g) => g.role === role).map((g) => g.permissions[model.id]?.[action] as Grant | undefined));
}

/**
 * Does one of the rules allow the record (as the API returns it) for this user? Judged by the core's
 * in-memory matcher from the rule's JSON — not by the SQL or CASL path the server enforces them with.
 */
export function rulesAllow(
  model: ModelDef,
  rules: Record<string, unknown>[],
  record: RecordData,
  vars: { user: string; tenant: string },
): boolean {
  return rules.some((rule) => {
    const { condition, problems } = checkFilter(model, rule, { source: 'rule', variables: true });
    if (!condition) throw new Error(`${model.id}: a rule the core does not parse: ${JSON.stringify(rule)} ${JSON.stringify(problems)}`);
    return matchesCondition(model, bindVariables(condition, vars), record);
  });
}

/** The `when` of an action: does the record allow it now (409 otherwise)? */
export function actionAvailable(model: ModelDef, action: string, record: RecordData): boolean {
  const when = model.actions[action]?.when;
  if (!when) return true;
  const { condition } = checkFilter(model, when, { source: 'when' });
  return condition !== undefined && matchesCondition(model, condition, record);
}

/**
 * Values that make a record satisfy the first rule, or violate every rule: "$user" becomes the user or
 * another one, a plain value itself or another value of its field. undefined for a rule of any other
 * shape: no such record can be built here (the sweep reports it as not judged).
 */
export function valuesFor(
  model: ModelDef,
  rules: Record<string, unknown>[],
  intent: 'satisfy' | 'violate',
  users: { self: string; other: string },
): RecordData | undefined {
  const body: RecordData = {};
  for (const rule of intent === 'satisfy' ? rules.slice(0, 1) : rules) {
    const entries = Object.entries(rule);
    for (const [name, expected] of intent === 'satisfy' ? entries : entries.slice(0, 1)) {
      const field = model.fields[name];
      if (!field || field.readonly) return undefined;
      if (expected === '$user') body[name] = intent === 'satisfy' ? users.self : users.other;
      else if (intent === 'satisfy' && (typeof expected !== 'object' || expected === null)) body[name] = expected;
      else if (typeof expected === 'boolean') body[name] = !expected;
      else if (field.options && typeof expected === 'string') body[name] = field.options.find((o) => o.value !== expected)?.value;
      else return undefined;
    }
  }
  return body;
}
