import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';

type Done = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Expired windows are deleted once every this many attempts (by whichever node counts it). */
const PRUNE_EVERY = 500;

/**
 * @fastify/rate-limit's store in the database (core_rate_limits), so that every app node counts the same
 * attempts: a client that used up its logins on node A is refused on node B. One statement per attempt,
 * on the database's clock (the nodes' clocks may differ). Each route counts apart (`prefix`).
 */
export class DatabaseRateLimitStore {
  private attempts = 0;

  constructor(
    private readonly db: Database,
    private readonly prefix = '',
  ) {}

  incr(key: string, done: Done, timeWindow: number): void {
    const full = `${this.prefix}${key}`;
    this.db
      .system<{ hits: number; ttl: number }>(
        sql`INSERT INTO core_rate_limits AS r (key, hits, window_ends) VALUES (${full}, 1, now() + ${timeWindow} * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.window_ends <= now() THEN 1 ELSE r.hits + 1 END,
        window_ends = CASE WHEN r.window_ends <= now() THEN excluded.window_ends ELSE r.window_ends END
      RETURNING hits, ceil(extract(epoch FROM r.window_ends - now()) * 1000)::int AS ttl`,
      )
      .then(
        ([row]) => done(null, { current: row.hits, ttl: Math.max(0, row.ttl) }),
        (error: Error) => done(error),
      );
    if (++this.attempts % PRUNE_EVERY === 0)
      this.db.system(sql`DELETE FROM core_rate_limits WHERE window_ends < now()`).catch(() => undefined);
  }

  /** The plugin passes the route's merged options, the route itself under `routeInfo` (its types say otherwise). */
  child(options: object): DatabaseRateLimitStore {
    const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
    return new DatabaseRateLimitStore(this.db, `${String(route?.method)} ${route?.url} `);
  }
}
