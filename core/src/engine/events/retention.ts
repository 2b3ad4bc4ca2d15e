import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';

const HOUR_MS = 3600_000;
/** Rows per DELETE, so that no statement holds its locks for long on a big log. */
const CHUNK = 10_000;

/**
 * Deletes events older than the retention: at start and every hour. A resume from before the oldest
 * remaining event then gets `resync_required`. Every node runs it; the deletes are idempotent.
 */
export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly days: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    const tick = (): void => {
      this.running = this.run().catch((error) => this.log.warn({ err: error }, 'event retention failed'));
    };
    tick();
    this.timer = setInterval(tick, HOUR_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past the retention now; returns how many events went. */
  async run(): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n }] = await this.db.system<{ n: number }>(sql`WITH d AS (
          DELETE FROM core_events WHERE ctid = ANY(ARRAY(SELECT ctid FROM core_events WHERE at < now() - ${this.days}::float8 * interval '1 day' LIMIT ${CHUNK}))
          RETURNING 1)
        SELECT count(*)::int AS n FROM d`);
      total += n;
      if (n < CHUNK) return total;
    }
  }
}
