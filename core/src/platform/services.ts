import type { FastifyBaseLogger } from 'fastify';
import type { PlatformConfig } from '../kernel/config.ts';
import { StartupError } from '../kernel/errors.ts';
import type { Registry } from '../kernel/registry/registry.ts';
import { TenantSchemas } from '../kernel/registry/tenant-registry.ts';
import { Database } from '../store/database.ts';
import { MIGRATIONS_DIR, migrate } from '../store/migrate.ts';
import { sql } from '../store/sql.ts';
import type { Platform } from '../engine/platform.ts';
import { Sessions } from '../engine/tenancy/sessions.ts';
import { createBus } from '../realtime/create-bus.ts';
import { noMetrics } from '../engine/metrics.ts';
import { MailDelivery } from '../engine/mail/mail-delivery.ts';
import { smtpTransport } from '../engine/mail/mail-transport.ts';
import { NotificationMail } from '../engine/notifications/notification-mail.ts';
import { ActivityDue } from '../engine/notifications/activity-due.ts';
import { AutomationCache } from '../engine/automations/automation-cache.ts';
import { AutomationRunner } from '../engine/automations/automation-runner.ts';
import { TimeJobs } from '../engine/automations/time-jobs.ts';
import { WebhookDelivery } from '../engine/automations/webhook-delivery.ts';
import { BillingGrace } from '../engine/billing/billing-grace.ts';
import { HookReadCache } from '../engine/records/hook-read-cache.ts';

/** The owner role runs migrations, logins across tenants and event dispatch: it must not be bound by RLS. */
async function checkOwnerRole(db: Database): Promise<void> {
  const [role] = await db.system<{ ok: boolean; name: string }>(
    sql`SELECT rolsuper OR rolbypassrls AS ok, rolname AS name FROM pg_roles WHERE rolname = current_user`,
  );
  if (!role?.ok)
    throw new StartupError([
      `database: the role "${role?.name}" of DATABASE_URL must be a superuser or have BYPASSRLS (it owns the tables and runs migrations; requests run as the restricted role atrium_app)`,
    ]);
}

/**
 * Opens the database (PostgreSQL or embedded PGlite), migrates it, and builds the services every layer
 * above shares: the event bus, the per-tenant model registries and the session cache.
 */
export async function openPlatform(
  config: PlatformConfig,
  registry: Registry,
  log: FastifyBaseLogger,
): Promise<{ platform: Platform; close(): Promise<void> }> {
  const db = await Database.open(config.database, (error) => log.warn({ err: error }, 'database connection lost'));
  try {
    await checkOwnerRole(db);
    await migrate(db, registry, MIGRATIONS_DIR, log);
  } catch (error) {
    await db.close();
    throw error;
  }
  const bus = createBus(db, config.events, (error) => log.warn({ err: error }, 'event transport connection lost'));
  await bus.start();
  const schemas = new TenantSchemas(registry);
  const sessions = new Sessions(db, schemas, config.plans);
  bus.onControl((message) => sessions.invalidate(message));
  if (!db.prepares && config.database.pooler !== 'transaction')
    log.warn(
      'DATABASE_URL leads to a pooler in transaction mode: statements are no longer prepared (set ATRIUM_DB_POOLER=transaction to say so)',
    );
  log.info({ database: db.kind, modules: [...registry.modules.keys()], preparedStatements: db.prepares }, 'database ready');
  const automations = new AutomationRunner(new AutomationCache(), {
    mail: () => platform.mail.wake(),
    webhooks: () => platform.webhooks.wake(),
  });
  bus.onControl((message) => {
    if (message.kind === 'tenant') automations.cache.invalidate(message.tenantId);
  });
  // Stand-ins until the workers, which need the platform, are built just below.
  const idle = { wake() {}, pass: async () => ({ handled: 0, batch: 0, mailed: 0 }) };
  const platform: Platform = {
    ...{ config, registry, schemas, db, bus, sessions, log, metrics: noMetrics, automations, hookReads: new HookReadCache() },
    ...{ mail: idle, webhooks: idle, timeJobs: idle, activityDue: idle, notificationMail: idle },
  };
  const mail = new MailDelivery(platform, config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : null);
  const webhooks = new WebhookDelivery(platform);
  const timeJobs = new TimeJobs(platform, automations);
  const notificationMail = new NotificationMail(platform);
  const activityDue = new ActivityDue(platform);
  Object.assign(platform, { mail, webhooks, timeJobs, notificationMail, activityDue });
  // Every background worker of this node (engine/events/polling-loop.ts), started and stopped here.
  const workers = [mail, webhooks, timeJobs, notificationMail, activityDue, ...(config.billing ? [new BillingGrace(platform)] : [])];
  for (const worker of workers) worker.start();
  log.info(
    { smtp: Boolean(config.mail.smtpUrl) },
    config.mail.smtpUrl ? 'mail goes out through SMTP' : 'no ATRIUM_SMTP_URL: mail is kept in the mail catcher (/admin/mails)',
  );
  return {
    platform,
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await bus.stop();
      await db.close();
    },
  };
}
