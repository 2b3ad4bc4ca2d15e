import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './pglite.ts';
import { ident, literal, sql, toParams, toText, type Sql } from './sql.ts';
import { translateDatabaseError } from './db-errors.ts';
import { behindTransactionPooler } from './pooler-probe.ts';
import { StartupError } from '../kernel/errors.ts';

/** The role every request runs as: it neither owns the tables nor bypasses row-level security. */
export const RUNTIME_ROLE = 'atrium_app';

const DATE_OID = 1082;
const INT8_OID = 20;
// Dates stay 'YYYY-MM-DD' strings (pg would make them local-midnight Date objects); counts become numbers.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface DatabaseOptions {
  url?: string;
  dataDir: string;
  /** A dump an in-memory PGlite starts from. */
  template?: string;
  poolSize: number;
  /** 'transaction': `url` is a pooler in transaction mode (see prepares); otherwise it is detected. */
  pooler?: 'session' | 'transaction';
  /** A direct (session) connection for migrations and LISTEN; default: `url`. */
  directUrl?: string;
}

const runtimeRole = ident(RUNTIME_ROLE);

/** Who a transaction runs as: a tenant (or none) as the runtime role, or the core itself as the owner. */
export type TransactionScope = { tenantId: string | null } | 'system';

/**
 * Sent with the first round trip of every tenant transaction: the role switch, the tenant, and UTC so
 * that timestamps are rendered the same on every server.
 */
function scopeStatements(scope: TransactionScope): Sql[] {
  // Prepared statements (see `prepared`) keep one generic plan: their shapes are chosen so that it is as good as a custom one.
  // No JIT: on a big tenant a capped count's estimate passes jit_above_cost, and compiling took 10–100 ms for a
  // statement that runs in 20 (docs/decisions.md, "Trigram indexes and row-level security").
  const common = sql`set_config('TimeZone', 'UTC', true), set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true)`;
  if (scope === 'system') return [sql`SELECT ${common}`];
  return [sql`SET LOCAL ROLE ${runtimeRole}`, sql`SELECT set_config('app.tenant_id', ${scope.tenantId ?? ''}, true), ${common}`];
}

function results(raw: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(raw) ? raw : [raw];
}

/** Statement text → name of its prepared statement, per connection. */
const preparedOn = new WeakMap<pg.PoolClient, Map<string, string>>();
/** A connection prepares at most this many statements; more shapes are sent as plain text. */
const MAX_PREPARED = 200;
let preparedCount = 0;

/**
 * pg's query in its callback form, as a promise. pg's own promise form (it sets the query's callback
 * after constructing the query) keeps every result alive through young-generation collections: each one
 * is promoted and freed only by a full collection, and under a list load every scavenge paused the
 * server for 7–10 ms instead of about 1. Passing the callback at construction does not
 * (core/test/query-results-lifetime.test.ts; docs/decisions.md §45).
 */
function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.PoolClient,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, result: pg.QueryResult<R>): void => (error ? reject(error) : resolve(result));
    if (values) client.query<R>(text, values, done);
    else client.query<R>(text, done);
  });
}

/**
 * One message of statements: each `prepared` one becomes EXECUTE, and those this connection has not
 * prepared yet get their PREPARE at the very start of the message. PREPARE is not transactional: they
 * exist after the message whatever happens to the transaction, unless the message failed before them
 * (see Transaction.rollback). Returns the text and how many results the PREPAREs add in front.
 * Without `prepares` (behind a transaction pooler) every statement is sent as text.
 */
function message(
  client: pg.PoolClient,
  statements: Sql[],
  prepares: boolean,
): { text: string; prelude: number; added: [string, string][] } {
  let known = preparedOn.get(client);
  if (!known) preparedOn.set(client, (known = new Map()));
  const prelude: string[] = [];
  const added: [string, string][] = [];
  const parts = statements.map((statement) => {
    if (!statement.prepare || !prepares) return toText(statement);
    const { text, values } = toParams(statement);
    let name = known.get(text) ?? added.find(([t]) => t === text)?.[1];
    if (!name) {
      if (known.size + added.length >= MAX_PREPARED) return toText(statement);
      name = `atrium_${++preparedCount}`;
      prelude.push(`PREPARE ${name} AS ${text}`);
      added.push([text, name]);
    }
    return values.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${values.map(literal).join(', ')})`;
  });
  return { text: [...prelude, ...parts].join(';\n'), prelude: prelude.length, added };
}

/**
 * A transaction that may span several round trips (module hooks read inside it). Nothing is sent until
 * the first query, which carries BEGIN, the role and the tenant with it; commit carries the final
 * statements with COMMIT. A write without hooks is therefore still one round trip.
 */
export class Transaction {
  private started = false;
  /** Statements that a failed message was preparing: whether they exist now is asked on rollback. */
  private preparing: [string, string][] = [];
  /** Checks sent at the head of the first message (see opensWith). */
  private checks: Sql[] = [];
  /** Statements waiting for the next message (see defer). */
  private deferred: Sql[] = [];
  /** Run once the transaction has committed (see afterCommit). */
  readonly committedCallbacks: (() => void)[] = [];
  finished = false;
  constructor(
    private readonly client: pg.PoolClient,
    private readonly scope: TransactionScope,
    private readonly prepares: boolean,
  ) {}

  /**
   * Statements that open the transaction, sent with its first message (no round trip of their own): a
   * check every statement after it relies on, such as the locked row saying the model's module is on.
   */
  opensWith(...statements: Sql[]): void {
    if (this.started) throw new Error('opensWith: the transaction has started');
    this.checks.push(...statements);
  }

  async query(...statements: Sql[]): Promise<pg.QueryResult[]> {
    const opening = [...(this.started ? [] : [sql`BEGIN`, ...scopeStatements(this.scope), ...this.checks]), ...this.deferred.splice(0)];
    this.started = true;
    const out = await this.send([...opening, ...statements]);
    return out.slice(opening.length);
  }

  /**
   * Statements sent at the head of the next message (query, flush or commit) instead of now: a bulk
   * write (an import) sends many rows per round trip, and whatever runs next still sees them first.
   * An error in one of them surfaces with that next message.
   */
  defer(...statements: Sql[]): void {
    this.deferred.push(...statements);
  }

  /** `announce` runs once this transaction has committed, never after a rollback (a notification to a socket, say). */
  afterCommit(announce: () => void): void {
    this.committedCallbacks.push(announce);
  }

  /** Sends the deferred statements now (nothing when there are none). */
  async flush(): Promise<void> {
    if (this.deferred.length > 0) await this.query();
  }

  /** Sends one message; the results of the statements given (not of the PREPAREs in front). */
  private async send(statements: Sql[]): Promise<pg.QueryResult[]> {
    const { text, prelude, added } = message(this.client, statements, this.prepares);
    this.preparing = added;
    const out = results(await pgQuery(this.client, text));
    const known = preparedOn.get(this.client)!;
    for (const [statement, name] of added) known.set(statement, name);
    this.preparing = [];
    return out.slice(prelude);
  }

  /**
   * From here to its end, the transaction runs inside `tenantId` as the runtime role (SET LOCAL lasts
   * until COMMIT): a tenant's first rows are written as the owner, then its seed data as the tenant, and
   * all of it commits together or not at all.
   */
  async enter(tenantId: string): Promise<void> {
    await this.query(...scopeStatements({ tenantId }));
  }

  async rows<T = Record<string, unknown>>(statement: Sql): Promise<T[]> {
    const [result] = await this.query(statement);
    return result.rows as T[];
  }

  /** Sends the final statements and COMMIT in one round trip; returns the final statements' results. */
  async commit(...statements: Sql[]): Promise<pg.QueryResult[]> {
    if (!this.started) {
      // Never started: run as one implicit transaction (no BEGIN/COMMIT needed, rolled back on any error).
      this.started = this.finished = true;
      const opening = [...scopeStatements(this.scope), ...this.checks, ...this.deferred.splice(0)];
      const out = await this.send([...opening, ...statements]);
      return out.slice(opening.length);
    }
    const deferred = this.deferred.splice(0);
    const out = await this.send([...deferred, ...statements, sql`COMMIT`]);
    this.finished = true;
    return out.slice(deferred.length, deferred.length + statements.length);
  }

  async rollback(): Promise<void> {
    this.deferred = [];
    if (this.started && !this.finished) await pgQuery(this.client, 'ROLLBACK');
    if (this.preparing.length > 0) {
      // The failed message may have prepared some (PREPARE is not undone by a rollback): keep those that exist.
      const names = this.preparing.map(([, name]) => name);
      const { rows } = await pgQuery<{ name: string }>(
        this.client,
        'SELECT name FROM pg_prepared_statements WHERE name = ANY($1::text[])',
        [names],
      );
      const exists = new Set(rows.map((r) => r.name));
      const known = preparedOn.get(this.client)!;
      for (const [statement, name] of this.preparing) if (exists.has(name)) known.set(statement, name);
      this.preparing = [];
    }
    this.finished = true;
  }
}

export class Database {
  /** Told how long each request for a pool connection waited (metrics). */
  onAcquire: ((waitSeconds: number) => void) | undefined;

  private constructor(
    readonly kind: 'postgresql' | 'pglite',
    /** Connection string of the owner: the pool's. */
    readonly url: string,
    /** The same database without a transaction pooler in between: migrations (a session lock), MikroORM's schema diff, LISTEN. */
    readonly directUrl: string,
    readonly pool: pg.Pool,
    readonly embedded: EmbeddedPostgres | undefined,
    /**
     * Whether a connection keeps its prepared statements (see `message`). Not behind a pooler in
     * transaction mode: each transaction may run on another server connection, where a statement
     * prepared earlier does not exist (or another client's of the same name does).
     */
    readonly prepares: boolean,
  ) {}

  static async open(options: DatabaseOptions, onPoolError: (error: Error) => void): Promise<Database> {
    if (options.pooler && options.pooler !== 'session' && options.pooler !== 'transaction')
      throw new StartupError([`database: ATRIUM_DB_POOLER is "${options.pooler}": it must be session or transaction`]);
    const embedded = options.url ? undefined : await startEmbeddedPostgres(options.dataDir, options.poolSize + 4, options.template);
    const url = options.url ?? embedded!.url;
    const pooled = options.pooler === 'transaction' || (!embedded && (await behindTransactionPooler(url)));
    if (pooled && !options.directUrl) {
      await embedded?.close();
      throw new StartupError([
        'database: DATABASE_URL goes through a pooler in transaction mode: set DATABASE_DIRECT_URL to a direct connection to the same database (migrations hold a session lock, and LISTEN needs a session)',
      ]);
    }
    // A fixed-size pool: an idle connection is kept, not closed after pg-pool's default 10 s. A new backend's
    // first tenant write costs PostgreSQL 40–60 ms (catalog caches, each statement prepared again) against ~1 ms
    // on a warm one, and a pool that shrinks pays it again at the start of every burst after a quiet spell
    // (docs/decisions.md §47). The connections counted per node (poolSize + 1) are the same either way.
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize, types, connectionTimeoutMillis: 5000, idleTimeoutMillis: 0 });
    // A connection lost (database restart) is reported, never fatal: idle ones through the pool, checked-out
    // ones through their own listener (their running query fails and the request answers 503).
    pool.on('error', onPoolError);
    pool.on('connect', (client) => client.on('error', onPoolError));
    return new Database(embedded ? 'pglite' : 'postgresql', url, options.directUrl ?? url, pool, embedded, !pooled);
  }

  /** A connection of its own to the database itself (not through a pooler); the caller ends it. */
  async direct(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.directUrl, types });
    try {
      await client.connect();
    } catch (error) {
      throw translateDatabaseError(error);
    }
    return client;
  }

  /** Statements run in one implicit transaction, in one round trip, as the runtime role inside the tenant. */
  async batch(tenantId: string | null, statements: Sql[]): Promise<pg.QueryResult[]> {
    return this.transaction(tenantId, (tx) => tx.commit(...statements));
  }

  /** A transaction inside a tenant (as the runtime role), or of the core itself ('system', as the owner). */
  async transaction<T>(scope: string | null | 'system', work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const tx = new Transaction(client, scope === 'system' ? 'system' : { tenantId: scope }, this.prepares);
    let broken: Error | undefined;
    try {
      const value = await work(tx);
      if (!tx.finished) await tx.commit();
      for (const announce of tx.committedCallbacks) announce();
      return value;
    } catch (error) {
      try {
        await tx.rollback();
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw translateDatabaseError(error);
    } finally {
      client.release(broken);
    }
  }

  /** A query as the owner, outside any tenant: migrations, login look-up, event dispatch, retention. */
  async system<T = Record<string, unknown>>(statement: Sql): Promise<T[]> {
    const client = await this.connect();
    let failed: Error | undefined;
    try {
      const { text, values } = toParams(statement);
      const result = await pgQuery(client, text, values);
      return result.rows as T[];
    } catch (error) {
      failed = error as Error;
      throw translateDatabaseError(error);
    } finally {
      // As pg's pool.query does: a connection whose query failed is not reused.
      client.release(failed);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    const asked = performance.now();
    try {
      return await this.pool.connect();
    } catch (error) {
      throw translateDatabaseError(error);
    } finally {
      this.onAcquire?.((performance.now() - asked) / 1000);
    }
  }

  async healthy(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.embedded?.close();
  }
}
