import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';
import { PollingLoop, type PassResult } from './polling-loop.ts';

const HOUR_MS = 3600_000;
/** Rows per DELETE, so that no statement holds its locks for long on a big log. */
const CHUNK = 10_000;

/**
 * Deletes events older than the retention: at start and every hour, a chunk at a time until none is left.
 * A resume from before the oldest remaining event then gets `resync_required`. Every node runs it; the
 * deletes are idempotent.
 */
export class Retention extends PollingLoop {
  constructor(
    private readonly db: Database,
    private readonly days: number,
    log: FastifyBaseLogger,
  ) {
    super('event retention', log, HOUR_MS);
  }

  /** Deletes one chunk of what is past the retention now; answers how many events went. */
  async pass(): Promise<PassResult> {
    const [{ n }] = await this.db.system<{ n: number }>(sql`WITH d AS (
        DELETE FROM core_events WHERE ctid = ANY(ARRAY(SELECT ctid FROM core_events WHERE at < now() - ${this.days}::float8 * interval '1 day' LIMIT ${CHUNK}))
        RETURNING 1)
      SELECT count(*)::int AS n FROM d`);
    return { handled: n, batch: CHUNK };
  }
}
