import type { PlanLimitExceeded } from '@atrium/protocol';

/**
 * Plans: what a tenant may hold (platform.config.ts declares them; docs/api.md "Plans"). A limit left out
 * (or null) is unlimited. Going over one is `402 plan_limit`; a plan below a tenant's usage blocks new
 * writes of that kind and deletes nothing.
 */
export interface PlanLimitsInput {
  /** Users of the tenant (active or not: an account is a seat until it is deleted). */
  users?: number | null;
  /** Records of every module model together (one2many lines included: they are records of their own). */
  records?: number | null;
  /** Records of one model, by model id (`crm.lead`). */
  modelRecords?: Record<string, number>;
  /** Modules switched on at once. */
  modules?: number | null;
  /** Bytes the tenant's records and history take (as `GET /api/admin/usage` measures them). */
  storageMb?: number | null;
  /** Authenticated API requests of the tenant per minute, counted on each node (docs/decisions.md, "Requests per minute"). */
  requestsPerMinute?: number | null;
}

export interface PlanInput {
  label?: string;
  limits?: PlanLimitsInput;
}

export interface PlansInput {
  /** The plan of new tenants, and of a tenant whose plan is no longer declared. */
  default: string;
  list: Record<string, PlanInput>;
}

/** The limits every kind has, null for unlimited. */
export interface PlanLimits {
  users: number | null;
  records: number | null;
  modelRecords: Record<string, number>;
  modules: number | null;
  storageBytes: number | null;
  requestsPerMinute: number | null;
}

export interface Plan {
  name: string;
  label: string;
  limits: PlanLimits;
}

export interface Plans {
  default: string;
  list: Map<string, Plan>;
}

export type LimitKind = PlanLimitExceeded['limit'];

const UNLIMITED: PlanLimits = { users: null, records: null, modelRecords: {}, modules: null, storageBytes: null, requestsPerMinute: null };

/** Without a declaration, one plan without limits (a self-hosted installation has no plans to sell). */
const NO_PLANS: PlansInput = { default: 'unlimited', list: { unlimited: { label: 'Unlimited' } } };

const limitOf = (value: number | null | undefined, name: string, plan: string, problems: string[]): number | null => {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 0) problems.push(`plans.list.${plan}.limits.${name} must be a whole number ≥ 0 or null`);
  return value;
};

/** The declared plans with every limit filled in; problems (a bad number, an unknown default) are listed, not thrown. */
export function resolvePlans(input: PlansInput | undefined, problems: string[] = []): Plans {
  const { default: defaultPlan, list } = input ?? NO_PLANS;
  const plans = new Map<string, Plan>();
  for (const [name, plan] of Object.entries(list)) {
    const l = plan.limits ?? {};
    const storageMb = limitOf(l.storageMb, 'storageMb', name, problems);
    plans.set(name, {
      name,
      label: plan.label ?? name,
      limits: {
        ...UNLIMITED,
        users: limitOf(l.users, 'users', name, problems),
        records: limitOf(l.records, 'records', name, problems),
        modelRecords: Object.fromEntries(
          Object.entries(l.modelRecords ?? {}).map(([model, max]) => [model, limitOf(max, `modelRecords.${model}`, name, problems) ?? 0]),
        ),
        modules: limitOf(l.modules, 'modules', name, problems),
        storageBytes: storageMb === null ? null : storageMb * 1024 * 1024,
        requestsPerMinute: limitOf(l.requestsPerMinute, 'requestsPerMinute', name, problems),
      },
    });
  }
  if (!plans.has(defaultPlan)) problems.push(`plans.default "${defaultPlan}" is not one of plans.list (${[...plans.keys()].join(', ')})`);
  return { default: defaultPlan, list: plans };
}

/** The plan of that name, or the default one (a tenant's plan no longer declared falls back to it). */
export function planNamed(plans: Plans, name: string | null | undefined): Plan {
  return plans.list.get(name ?? plans.default) ?? plans.list.get(plans.default)!;
}
