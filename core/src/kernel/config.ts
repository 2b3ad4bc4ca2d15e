import { resolve } from 'node:path';
import { StartupError } from './errors.ts';
import { resolvePlans, type Plans, type PlansInput } from './plans.ts';

/** What `platform.config.ts` declares; every key is optional and has a sane default. */
export interface PlatformConfigInput {
  /** Module folders (under `modulesDir`) that ship with this platform, in any order. */
  modules?: string[];
  modulesDir?: string;
  port?: number;
  host?: string;
  database?: {
    /** PostgreSQL connection string; unset → embedded PGlite in `dataDir`. */
    url?: string;
    /** PGlite's folder, or 'memory://' for a throw-away database. */
    dataDir?: string;
    /** For an in-memory PGlite: a dump (PGlite's dumpDataDir) to start from, e.g. an already migrated database in tests. */
    template?: string;
    poolSize?: number;
    /**
     * What `url` points at when it is not PostgreSQL itself: 'transaction' for a pooler in transaction mode
     * (PgBouncer's pool_mode=transaction), where a connection's prepared statements cannot be reused;
     * 'session' (or unset) otherwise. A transaction pooler is also detected at start-up.
     */
    pooler?: 'session' | 'transaction';
    /** A direct connection (not through a transaction pooler) for migrations and LISTEN; default: `url`. */
    directUrl?: string;
  };
  /** Folder for generated state (PGlite data, the token secret). */
  dataDir?: string;
  auth?: {
    secret?: string;
    /** Token lifetime in seconds. */
    tokenTtlSeconds?: number;
    /** scrypt cost (N); lower it only in tests. */
    passwordCost?: number;
    /** Login and signup attempts per IP address per minute. */
    rateLimitPerMinute?: number;
  };
  /** Allowed browser origins for the websocket; default: the server's own. (No CORS: the API is same-origin.) */
  origins?: string[];
  /** Base domain for subdomain routing: acme.<baseDomain> is tenant `acme`. */
  baseDomain?: string;
  events?: {
    /** How events travel between app nodes: PostgreSQL LISTEN/NOTIFY (default) or NATS. */
    transport?: 'postgres' | 'nats';
    natsUrl?: string;
    /** Events older than this are deleted; a resume from before them gets `resync_required`. */
    retentionDays?: number;
    /** Per-socket bound on queued outgoing bytes before a slow client is closed. */
    maxSocketBufferBytes?: number;
    /** Seconds between websocket pings. */
    pingIntervalSeconds?: number;
    /** Websockets one user may have open on one node; more are closed with 4409. */
    maxSocketsPerUser?: number;
    /** Seconds between checks for events a lost notification did not announce (tenants with sockets only). */
    catchUpSeconds?: number;
  };
  /** `GET /api/metrics` (Prometheus), answered only to `Authorization: Bearer <token>`; off when unset. */
  /** Outgoing mail (docs/api.md): without an SMTP URL, mails are kept for the tenant admin's mail catcher. */
  mail?: {
    smtpUrl?: string;
    /** The sender's address; the tenant's name is its display name. */
    from?: string;
    /** The first retry's delay; each next one doubles (capped at an hour). */
    retrySeconds?: number;
    maxAttempts?: number;
    /** How often a node looks for mail that is due (a node also looks right after its own writes queue mail). */
    pollSeconds?: number;
  };
  /** A user's notifications (docs/api.md, "Notifications"). */
  notifications?: {
    /** Minutes after which a notification still unread is mailed to its user (`ATRIUM_NOTIFY_EMAIL_AFTER_MINUTES`); 0: never. */
    emailAfterMinutes?: number;
  };
  /** Automations (docs/api.md): time-based triggers and webhook deliveries, run after commit by any node. */
  automations?: {
    /** How often a node looks for due time-based jobs and webhook deliveries. */
    pollSeconds?: number;
    /** A webhook's first retry's delay; each next one doubles (capped at an hour). */
    webhookRetrySeconds?: number;
    /** After this many failed attempts a delivery is dead (shown to the admin). */
    webhookMaxAttempts?: number;
    webhookTimeoutMs?: number;
    /**
     * Whether webhooks may reach loopback, private and link-local addresses (`ATRIUM_WEBHOOK_PRIVATE_NETWORKS=1`):
     * off by default, so that a tenant's admin cannot probe the servers' own network; on for a receiver on the same
     * private network (a self-hosted install).
     */
    webhookPrivateNetworks?: boolean;
  };
  metrics?: {
    token?: string;
    /** Tenants with the most writes that get a series of their own. */
    topTenants?: number;
  };
  /**
   * Whoever runs the platform (docs/api.md, "The operator"): `/api/operator/*` exists only when both are set
   * (ATRIUM_OPERATOR_EMAIL, ATRIUM_OPERATOR_PASSWORD).
   */
  operator?: { email?: string; password?: string };
  /**
   * Billing through Stripe (docs/api.md, "Billing"): on only with a secret key and a webhook secret. `prices`
   * maps a plan's name to the Stripe price an upgrade subscribes to; `graceDays` is how long a tenant keeps its
   * plan after a failed payment.
   */
  billing?: { stripeSecretKey?: string; stripeWebhookSecret?: string; prices?: Record<string, string>; graceDays?: number };
  /** Seconds between SIGTERM (readiness turns 503) and closing: time for a proxy to stop sending requests. */
  drainSeconds?: number;
  /** Seconds from SIGTERM to the process's end, whatever is still running (default: drainSeconds + 10). */
  shutdownSeconds?: number;
  /**
   * The proxies in front of the app, whose X-Forwarded-For is believed (fastify's trustProxy): true (any),
   * a number of hops, or addresses/CIDR ranges. Unset: the client is the TCP peer.
   */
  trustProxy?: boolean | number | string[];
  /** What tenants may hold, by plan (kernel/plans.ts); unset → one plan without limits. */
  plans?: PlansInput;
  /** Create the demo tenant on an empty database. */
  demo?: boolean;
  /** Folder of the built shell (ATRIUM_UI_DIR overrides it); unset → the project's kit-ui/build. Relative to the project. */
  uiDir?: string;
  logLevel?: string;
  /** `json` (one object a line) or `pretty` (one readable line a request); unset → pretty on a terminal, else JSON. */
  logFormat?: LogFormat;
}

export type LogFormat = 'json' | 'pretty';

export interface PlatformConfig {
  rootDir: string;
  modules: string[];
  modulesDir: string;
  port: number;
  host: string;
  database: {
    url: string | undefined;
    dataDir: string;
    template: string | undefined;
    poolSize: number;
    pooler: 'session' | 'transaction' | undefined;
    directUrl: string | undefined;
  };
  dataDir: string;
  auth: { secret: string | undefined; tokenTtlSeconds: number; passwordCost: number; rateLimitPerMinute: number };
  origins: string[] | undefined;
  baseDomain: string | undefined;
  events: {
    transport: 'postgres' | 'nats';
    natsUrl: string;
    retentionDays: number;
    maxSocketBufferBytes: number;
    pingIntervalSeconds: number;
    maxSocketsPerUser: number;
    catchUpSeconds: number;
  };
  mail: { smtpUrl: string | undefined; from: string; retrySeconds: number; maxAttempts: number; pollSeconds: number };
  notifications: { emailAfterMinutes: number };
  automations: {
    pollSeconds: number;
    webhookRetrySeconds: number;
    webhookMaxAttempts: number;
    webhookTimeoutMs: number;
    webhookPrivateNetworks: boolean;
  };
  metrics: { token: string | undefined; topTenants: number };
  operator: { email: string; password: string } | undefined;
  billing: { stripeSecretKey: string; stripeWebhookSecret: string; prices: Record<string, string>; graceDays: number } | undefined;
  drainSeconds: number;
  shutdownSeconds: number;
  trustProxy: boolean | number | string[];
  plans: Plans;
  demo: boolean;
  uiDir: string | undefined;
  logLevel: string;
  logFormat: LogFormat;
}

export function defineConfig(config: PlatformConfigInput): PlatformConfigInput {
  return config;
}

const list = (value: string | undefined): string[] | undefined =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** ATRIUM_TRUST_PROXY: true/false, a number of hops, or a comma-separated list of addresses and CIDR ranges. */
function logFormatOf(value: string | undefined): LogFormat | undefined {
  if (!value) return undefined;
  if (value === 'json' || value === 'pretty') return value;
  throw new Error(`ATRIUM_LOG_FORMAT must be "json" or "pretty", not "${value}"`);
}

/** ATRIUM_STRIPE_PRICES: `team=price_123,business=price_456`. */
function pricesOf(value: string | undefined): Record<string, string> | undefined {
  const pairs = list(value)?.map((pair) => pair.split('=').map((s) => s.trim()));
  if (!pairs) return undefined;
  const bad = pairs.find((pair) => pair.length !== 2 || !pair[0] || !pair[1]);
  if (bad) throw new StartupError([`ATRIUM_STRIPE_PRICES must read plan=price_id,plan=price_id, not "${value}"`]);
  return Object.fromEntries(pairs);
}

function operatorOf(input: PlatformConfigInput['operator'], env: NodeJS.ProcessEnv): PlatformConfig['operator'] {
  const email = env.ATRIUM_OPERATOR_EMAIL || input?.email;
  const password = env.ATRIUM_OPERATOR_PASSWORD || input?.password;
  return email && password ? { email: email.toLowerCase(), password } : undefined;
}

function billingOf(input: PlatformConfigInput['billing'], env: NodeJS.ProcessEnv): PlatformConfig['billing'] {
  const stripeSecretKey = env.ATRIUM_STRIPE_SECRET_KEY || input?.stripeSecretKey;
  const stripeWebhookSecret = env.ATRIUM_STRIPE_WEBHOOK_SECRET || input?.stripeWebhookSecret;
  if (!stripeSecretKey || !stripeWebhookSecret) return undefined;
  const graceDays = env.ATRIUM_BILLING_GRACE_DAYS ? Number(env.ATRIUM_BILLING_GRACE_DAYS) : (input?.graceDays ?? 7);
  return { stripeSecretKey, stripeWebhookSecret, prices: pricesOf(env.ATRIUM_STRIPE_PRICES) ?? input?.prices ?? {}, graceDays };
}

function trustProxyOf(value: string | undefined): boolean | number | string[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return list(value);
}

/** Applies defaults, then the environment variables of docs/api.md, which win over the file. */
export function resolveConfig(input: PlatformConfigInput, rootDir: string, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const dataDir = resolve(rootDir, env.ATRIUM_DATA_DIR ?? input.dataDir ?? 'data');
  const url = env.DATABASE_URL || input.database?.url || undefined;
  const problems: string[] = [];
  const plans = resolvePlans(input.plans, problems);
  if (problems.length > 0) throw new StartupError(problems);
  const drainSeconds = env.ATRIUM_DRAIN_SECONDS ? Number(env.ATRIUM_DRAIN_SECONDS) : (input.drainSeconds ?? 0);
  return {
    rootDir,
    modules: input.modules ?? [],
    modulesDir: resolve(rootDir, input.modulesDir ?? 'modules'),
    port: env.PORT ? Number(env.PORT) : (input.port ?? 3000),
    host: env.HOST ?? input.host ?? '127.0.0.1',
    database: {
      url,
      dataDir: input.database?.dataDir === 'memory://' ? 'memory://' : resolve(dataDir, input.database?.dataDir ?? 'pglite'),
      template: input.database?.template,
      poolSize: input.database?.poolSize ?? 10,
      pooler: (env.ATRIUM_DB_POOLER as 'session' | 'transaction' | undefined) || input.database?.pooler,
      directUrl: env.DATABASE_DIRECT_URL || input.database?.directUrl || undefined,
    },
    dataDir,
    auth: {
      secret: env.ATRIUM_SECRET || input.auth?.secret,
      tokenTtlSeconds: input.auth?.tokenTtlSeconds ?? 12 * 3600,
      passwordCost: input.auth?.passwordCost ?? 16384,
      rateLimitPerMinute: input.auth?.rateLimitPerMinute ?? 20,
    },
    origins: list(env.ATRIUM_ORIGINS) ?? input.origins,
    baseDomain: env.ATRIUM_BASE_DOMAIN ?? input.baseDomain,
    events: {
      transport: (env.ATRIUM_EVENTS_TRANSPORT as 'postgres' | 'nats' | undefined) ?? input.events?.transport ?? 'postgres',
      natsUrl: env.NATS_URL ?? input.events?.natsUrl ?? 'nats://127.0.0.1:4222',
      retentionDays: input.events?.retentionDays ?? 30,
      maxSocketBufferBytes: input.events?.maxSocketBufferBytes ?? 1024 * 1024,
      pingIntervalSeconds: input.events?.pingIntervalSeconds ?? 30,
      maxSocketsPerUser: input.events?.maxSocketsPerUser ?? 50,
      catchUpSeconds: input.events?.catchUpSeconds ?? 5,
    },
    mail: {
      smtpUrl: env.ATRIUM_SMTP_URL || input.mail?.smtpUrl || undefined,
      from: env.ATRIUM_MAIL_FROM || input.mail?.from || 'noreply@localhost',
      retrySeconds: input.mail?.retrySeconds ?? 30,
      maxAttempts: input.mail?.maxAttempts ?? 8,
      pollSeconds: input.mail?.pollSeconds ?? 5,
    },
    notifications: {
      emailAfterMinutes: env.ATRIUM_NOTIFY_EMAIL_AFTER_MINUTES
        ? Number(env.ATRIUM_NOTIFY_EMAIL_AFTER_MINUTES)
        : (input.notifications?.emailAfterMinutes ?? 30),
    },
    automations: {
      pollSeconds: input.automations?.pollSeconds ?? 30,
      webhookRetrySeconds: input.automations?.webhookRetrySeconds ?? 30,
      webhookMaxAttempts: input.automations?.webhookMaxAttempts ?? 8,
      webhookTimeoutMs: input.automations?.webhookTimeoutMs ?? 10_000,
      webhookPrivateNetworks: env.ATRIUM_WEBHOOK_PRIVATE_NETWORKS
        ? env.ATRIUM_WEBHOOK_PRIVATE_NETWORKS !== '0'
        : (input.automations?.webhookPrivateNetworks ?? false),
    },
    metrics: { token: env.ATRIUM_METRICS_TOKEN || input.metrics?.token || undefined, topTenants: input.metrics?.topTenants ?? 10 },
    operator: operatorOf(input.operator, env),
    billing: billingOf(input.billing, env),
    drainSeconds,
    shutdownSeconds: env.ATRIUM_SHUTDOWN_SECONDS ? Number(env.ATRIUM_SHUTDOWN_SECONDS) : (input.shutdownSeconds ?? drainSeconds + 10),
    trustProxy: trustProxyOf(env.ATRIUM_TRUST_PROXY) ?? input.trustProxy ?? false,
    plans,
    demo: env.ATRIUM_DEMO ? env.ATRIUM_DEMO !== '0' : (input.demo ?? true),
    uiDir: env.ATRIUM_UI_DIR ? resolve(rootDir, env.ATRIUM_UI_DIR) : input.uiDir && resolve(rootDir, input.uiDir),
    logLevel: env.LOG_LEVEL ?? input.logLevel ?? 'info',
    logFormat: logFormatOf(env.ATRIUM_LOG_FORMAT) ?? input.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json'),
  };
}
