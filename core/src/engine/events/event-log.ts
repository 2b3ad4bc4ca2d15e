import type { Database } from '../../store/database.ts';
import { sql } from '../../store/sql.ts';
import type { RecordData } from '../../kernel/record-types.ts';

/** One committed event of core_events, as the hub delivers it. */
export interface LoggedEvent {
  seq: number;
  model: string;
  id: string;
  /** `chatter`: a message, note or activity change on the record (its entry in `changes`, no `record`). */
  op: 'created' | 'updated' | 'deleted' | 'chatter';
  version: number;
  /** The record as the API shapes it, unmasked; null for a deletion and a chatter entry. */
  record: RecordData | null;
  /** For a chatter event: the timeline entry (see engine/chatter). */
  changes?: RecordData;
  /**
   * For an update or a deletion: the record's previous snapshot in the log, so that a deletion reaches
   * only those who could read the record, and an update that hides it from someone tells them it is gone;
   * null when retention has removed every earlier event of it.
   */
  before: RecordData | null;
  /** The HTTP request that caused it (X-Request-Id), if any. */
  requestId: string | null;
  /** Seconds from its transaction's start to this read, by the database's clock. */
  ageSeconds: number;
}

export interface EventPage {
  /** The tenant's latest committed cursor when the page was read. */
  latest: number;
  events: LoggedEvent[];
}

/**
 * Reads the outbox. Cursors of a tenant become visible in commit order (see outbox.ts), so the events
 * after a cursor are always a contiguous run: a page never skips one that commits later.
 */
export class EventLog {
  constructor(private readonly db: Database) {}

  /** Up to `limit` events of the tenant after `cursor`, in cursor order, read as the tenant (under RLS). */
  async after(tenantId: string, cursor: number, limit: number): Promise<EventPage> {
    const [latest, events] = await this.db.batch(tenantId, [
      sql`SELECT last FROM core_event_cursors WHERE tenant_id = ${tenantId}::uuid`,
      sql`SELECT e.seq, e.model, e.record_id AS id, e.op, e.version, e.record, e.request_id AS "requestId",
            CASE WHEN e.op = 'chatter' THEN e.changes END AS changes,
            extract(epoch FROM clock_timestamp() - e.at)::float8 AS "ageSeconds",
            CASE WHEN e.op <> 'created' THEN (SELECT p.record FROM core_events p
              WHERE p.tenant_id = e.tenant_id AND p.model = e.model AND p.record_id = e.record_id AND p.seq < e.seq AND p.record IS NOT NULL
              ORDER BY p.seq DESC LIMIT 1) END AS before
          FROM core_events e WHERE e.tenant_id = ${tenantId}::uuid AND e.seq > ${cursor} ORDER BY e.seq LIMIT ${limit}`,
    ]);
    return { latest: (latest.rows[0]?.last as number | undefined) ?? 0, events: events.rows as LoggedEvent[] };
  }

  /** The latest committed cursor of each of these tenants, in one query across tenants (as the owner). */
  async latest(tenantIds: string[]): Promise<Map<string, number>> {
    const rows = await this.db.system<{ tenant_id: string; last: number }>(
      sql`SELECT tenant_id, last FROM core_event_cursors WHERE tenant_id = ANY(${tenantIds}::uuid[])`,
    );
    return new Map(rows.map((r) => [r.tenant_id, r.last]));
  }
}
