import type { PlatformConfig } from '../kernel/config.ts';
import type { Database } from '../store/database.ts';
import type { Bus } from '../engine/events/bus.ts';
import { LocalBus, PostgresBus } from './bus.ts';
import { NatsBus } from './nats-bus.ts';

/**
 * The transport between app nodes: in-process on embedded PGlite (one node by nature), else PostgreSQL
 * LISTEN/NOTIFY by default, or NATS (`events.transport = 'nats'`). Every node of a cluster must use the same.
 */
export function createBus(db: Database, events: PlatformConfig['events'], onError: (error: Error) => void): Bus {
  if (db.kind === 'pglite') return new LocalBus();
  if (events.transport === 'nats') return new NatsBus(events.natsUrl, onError);
  return new PostgresBus(db.url, db.pool, onError);
}
