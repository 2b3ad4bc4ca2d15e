import type { FastifyBaseLogger } from 'fastify';
import type { PlatformConfig } from '../kernel/config.ts';
import type { Database } from '../store/database.ts';
import type { Bus } from './events/bus.ts';
import type { Registry } from '../kernel/registry/registry.ts';
import type { ModelHooks } from '../kernel/module-api.ts';
import type { RecordScope } from './records/record-context.ts';
import type { Sessions } from './tenancy/sessions.ts';
import type { Session } from './tenancy/sessions.ts';
import type { TenantSchema, TenantSchemas } from '../kernel/registry/tenant-registry.ts';
import type { Metrics } from './metrics.ts';
import type { AutomationRunner } from './automations/automation-runner.ts';
import type { PassResult } from './events/polling-loop.ts';
import type { HookReadCache } from './records/hook-read-cache.ts';

/** The services every core plugin shares; built once by the database plugin, decorated as `app.platform`. */
export interface Platform {
  config: PlatformConfig;
  registry: Registry;
  schemas: TenantSchemas;
  db: Database;
  bus: Bus;
  sessions: Sessions;
  log: FastifyBaseLogger;
  /** Replaced by the Prometheus collector when metrics are on (http/metrics/). */
  metrics: Metrics;
  /** Outgoing mail's delivery on this node (engine/mail/); told when a write queued some. */
  mail: { wake(): void };
  /** Mails notifications left unread (engine/notifications/); `pass()` runs one pass now. */
  notificationMail: { pass(): Promise<PassResult & { mailed: number }> };
  /** Tells assignees of their activities come due (engine/notifications/activity-due.ts); `pass()` runs one pass now. */
  activityDue: { pass(): Promise<PassResult> };
  /** The tenants' automations, judged in each write's transaction (engine/automations/). */
  automations: AutomationRunner;
  /** Records module hooks read by id, kept on this node (engine/records/hook-read-cache.ts). */
  hookReads: HookReadCache;
  /** The webhook outbox's delivery on this node. */
  webhooks: { wake(): void };
  /** Time-based automations' jobs on this node; `pass` claims and runs what is due now. */
  timeJobs: { wake(): void; pass(): Promise<PassResult> };
}

const composed = new WeakMap<TenantSchema, Map<string, ModelHooks | undefined>>();

/**
 * The hooks of a model from every enabled module that declares some (the model's own module and the
 * modules extending it), run in dependency order.
 */
export function hooksFor(schema: TenantSchema, modelId: string): ModelHooks | undefined {
  let perSchema = composed.get(schema);
  if (!perSchema) composed.set(schema, (perSchema = new Map()));
  if (perSchema.has(modelId)) return perSchema.get(modelId);
  const all = [...schema.registry.modules.values()]
    .filter((m) => schema.enabled.has(m.name) && m.hooks.models?.[modelId])
    .map((m) => m.hooks.models![modelId]);
  const hooks: ModelHooks | undefined =
    all.length === 0
      ? undefined
      : {
          beforeWrite: all.some((h) => h.beforeWrite)
            ? async (ctx) => {
                for (const h of all) await h.beforeWrite?.(ctx);
              }
            : undefined,
          beforeDelete: all.some((h) => h.beforeDelete)
            ? async (ctx) => {
                for (const h of all) await h.beforeDelete?.(ctx);
              }
            : undefined,
          actions: Object.assign({}, ...all.map((h) => h.actions ?? {})),
        };
  perSchema.set(modelId, hooks);
  return hooks;
}

/** What a record operation needs, for a signed-in user (or for the core inside a tenant: no ability). */
export function recordScope(
  platform: Platform,
  session: Pick<Session, 'tenant' | 'schema'> & Partial<Pick<Session, 'user' | 'ability' | 'plan'>>,
  requestId?: string,
): RecordScope {
  return {
    requestId,
    db: platform.db,
    schema: session.schema,
    tenant: session.tenant,
    user: session.user ?? null,
    ability: session.ability ?? null,
    plans: platform.config.plans,
    plan: session.plan,
    events: {
      committed: (tenantId, cursor, events) => {
        platform.bus.committed(tenantId, cursor, events);
        platform.metrics.writeCommitted(tenantId);
      },
      mailQueued: () => platform.mail.wake(),
      signal: (message) => platform.bus.signal(message),
    },
    hooks: (modelId) => hooksFor(session.schema, modelId),
    automations: platform.automations,
    hookReads: platform.hookReads,
  };
}
