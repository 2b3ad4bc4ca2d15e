/**
 * What Atrium's own /api/metrics said after the load (ATRIUM_METRICS_TOKEN is set for the bench): how late
 * events reached the sockets, and how long requests waited for a database connection.
 */
import { METRICS_TOKEN } from './settings.ts';

export interface Histogram {
  count: number;
  mean: number;
  /** The smallest bucket bound holding at least 99 % of the observations. */
  p99AtMost: number;
}

export interface NodeMetrics {
  eventLag: Histogram;
  poolAcquire: Histogram;
  writes: number;
}

function histogram(text: string, name: string): Histogram {
  const series = (suffix: string): number => Number(new RegExp(`^${name}_${suffix} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const count = series('count');
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => ({
    le: Number(m[1]),
    count: Number(m[2]),
  }));
  const p99 = buckets.find((b) => b.count >= 0.99 * count)?.le ?? NaN;
  return { count, mean: series('sum') / count, p99AtMost: p99 };
}

export async function nodeMetrics(base: string): Promise<NodeMetrics> {
  const response = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`/api/metrics answered ${response.status}`);
  const text = await response.text();
  return {
    eventLag: histogram(text, 'atrium_event_delivery_lag_seconds'),
    poolAcquire: histogram(text, 'atrium_db_pool_acquire_seconds'),
    writes: Number(/^atrium_writes_total (\S+)$/m.exec(text)?.[1] ?? NaN),
  };
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`;

export function describe(m: NodeMetrics): string {
  return `Atrium's /api/metrics after the load: ${m.writes} writes; event delivery lag mean ${ms(m.eventLag.mean)}, 99 % within ${ms(m.eventLag.p99AtMost)} (${m.eventLag.count} events); pool wait mean ${ms(m.poolAcquire.mean)}, 99 % within ${ms(m.poolAcquire.p99AtMost)} (${m.poolAcquire.count} acquisitions)`;
}
