import type { RecordEvent } from '@atrium/protocol';

/** How many records' versions are remembered: the oldest are forgotten first. */
const LIMIT = 5000;

/** At one version, a deletion comes after the update (it carries the version the record had). */
const rank = (event: Pick<RecordEvent, 'op' | 'version'>): number => event.version * 2 + (event.op === 'deleted' ? 1 : 0);

/**
 * The newest version of each record the live socket has handed to the views. The server sends a socket
 * its events in cursor order, so a record's versions only grow; should an older one still come (a replay
 * overtaken by live events, as in issue 23), it would put an old record over a newer one: it is dropped.
 */
export class NewestVersions {
  private readonly newest = new Map<string, number>();

  constructor(private readonly limit = LIMIT) {}

  /** False for an event older than one already admitted for its record; otherwise remembers it. */
  admit(event: Pick<RecordEvent, 'model' | 'id' | 'op' | 'version'>): boolean {
    const key = `${event.model}/${event.id}`;
    const known = this.newest.get(key);
    if (known !== undefined && rank(event) < known) return false;
    this.newest.delete(key); // kept in order of use, so the least recently changed record is forgotten first
    this.newest.set(key, Math.max(known ?? 0, rank(event)));
    if (this.newest.size > this.limit) this.newest.delete(this.newest.keys().next().value!);
    return true;
  }

  clear(): void {
    this.newest.clear();
  }
}
