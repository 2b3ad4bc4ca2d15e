import type { Grant } from '../../core/src/kernel/manifest/manifest-types.ts';
import type { ModelDef } from '../../core/src/kernel/registry/registry-types.ts';
import type { Registry } from '../../core/src/kernel/registry/registry.ts';
import type { RecordData } from '../../core/src/kernel/record-types.ts';

/** What a builtin role's manifests grant for one action on one model: true, false, or the record rules (any of which allows). */
export type Granted = true | false | Record<string, unknown>[];

export const BUILTIN_ROLES = ['admin', 'manager', 'user'] as const;

/** The actions a model has: CRUD and its declared ones. */
export const actionsOf = (model: ModelDef): string[] => ['read', 'create', 'update', 'delete', ...Object.keys(model.actions)];

/** A builtin role's grant, from every manifest and extension that speaks of the model (admins may do everything). */
export function grantOf(registry: Registry, role: string, model: ModelDef, action: string): Granted {
  if (role === 'admin') return true;
  const grants = registry.grants.filter((g) => g.role === role).map((g) => g.permissions[model.id]?.[action] as Grant | undefined);
  if (grants.includes(true)) return true;
  const rules = grants.filter((g): g is Record<string, unknown> => typeof g === 'object' && g !== null);
  return rules.length > 0 ? rules : false;
}

/**
 * Does one of these rules allow the record for this user? Only rules of plain equalities (the shape the
 * shipped manifests use, e.g. {"salesperson": "$user"}) are judged; undefined for any other shape.
 */
export function rulesAllow(rules: Record<string, unknown>[], record: RecordData, userId: string): boolean | undefined {
  let allowed = false;
  for (const rule of rules) {
    const matches = Object.entries(rule).map(([field, expected]) => {
      if (typeof expected === 'object' && expected !== null) return undefined;
      const value = record[field];
      const actual = value !== null && typeof value === 'object' ? (value as { id: unknown }).id : value;
      return actual === (expected === '$user' ? userId : expected);
    });
    if (matches.includes(undefined)) return undefined;
    allowed ||= matches.every(Boolean);
  }
  return allowed;
}

/** A value for the rule's fields that the rules cannot allow: another user where they say "$user". */
export function violating(rules: Record<string, unknown>[], otherUserId: string): RecordData | undefined {
  const body: RecordData = {};
  for (const rule of rules) {
    for (const [field, expected] of Object.entries(rule)) {
      if (expected !== '$user') return undefined;
      body[field] = otherUserId;
    }
  }
  return body;
}
