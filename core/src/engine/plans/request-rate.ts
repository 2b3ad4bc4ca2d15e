const WINDOW_MS = 60_000;
/** Windows kept before the stale ones (tenants silent for two windows) are dropped. */
const KEPT = 10_000;

/** One tenant's count: the requests of its current one-minute window and of the one before. */
interface Window {
  start: number;
  current: number;
  previous: number;
}

/**
 * A plan's requests per minute, counted in memory on this node (no database round trip per request; docs/
 * decisions.md, "Requests per minute"). A sliding window, estimated from two fixed ones as nginx and
 * Cloudflare do: the previous minute's count, weighted by how much of it still lies within the last 60 s,
 * plus the current minute's. A tenant's windows start at its first request, so a burst is judged the same
 * whatever the clock says. One small object per active tenant, mutated in place.
 */
export class RequestRate {
  private readonly windows = new Map<string, Window>();

  /** Counts one request of the tenant; 0 when it is within `max`, else the seconds until one more would be. */
  take(tenantId: string, max: number, now = Date.now()): number {
    const window = this.windowOf(tenantId, now);
    const elapsed = now - window.start;
    const estimate = window.previous * (1 - elapsed / WINDOW_MS) + window.current;
    if (estimate < max) {
      window.current++;
      return 0;
    }
    return retryAfterSeconds(window, elapsed, max);
  }

  /** The tenant's requests within the last minute, as `take` judges them. */
  current(tenantId: string, now = Date.now()): number {
    const window = this.windowOf(tenantId, now);
    return Math.ceil(window.previous * (1 - (now - window.start) / WINDOW_MS) + window.current);
  }

  private windowOf(tenantId: string, now: number): Window {
    let window = this.windows.get(tenantId);
    if (!window) {
      if (this.windows.size >= KEPT) this.dropStale(now);
      window = { start: now, current: 0, previous: 0 };
      this.windows.set(tenantId, window);
    } else if (now - window.start >= WINDOW_MS) {
      const passed = Math.floor((now - window.start) / WINDOW_MS);
      window.previous = passed === 1 ? window.current : 0;
      window.current = 0;
      window.start += passed * WINDOW_MS;
    }
    return window;
  }

  private dropStale(now: number): void {
    for (const [tenantId, window] of this.windows) if (now - window.start >= 2 * WINDOW_MS) this.windows.delete(tenantId);
  }
}

/**
 * When the estimate falls under `max`: within this window as the previous one's weight fades, or, when this
 * window alone is at `max`, in the next one once this window's weight has faded enough.
 */
function retryAfterSeconds(window: Window, elapsed: number, max: number): number {
  if (max === 0) return WINDOW_MS / 1000;
  const ms =
    window.current < max
      ? WINDOW_MS * (1 - (max - window.current) / window.previous) - elapsed
      : WINDOW_MS - elapsed + WINDOW_MS * (1 - max / window.current);
  return Math.max(1, Math.ceil(ms / 1000));
}
