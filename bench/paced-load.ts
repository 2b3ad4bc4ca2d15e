/**
 * Requests at a fixed rate, for the scenarios whose p99 should be what a request costs below saturation.
 * Each request is sent at its own scheduled time whatever the earlier ones are doing (an open loop), and its
 * latency is counted from that time: what someone arriving then would wait, queue included if there is one.
 *
 * Not autocannon's `overallRate`: that is a budget per connection and second, spent back to back from the
 * start of each second (a burst at saturation, then idle), and its coordinated-omission correction takes
 * `Math.ceil(1 / rate)` of a per-second rate as the interval in milliseconds, 1 ms, so an answer that took
 * 30 ms was counted thirty times (30, 29, … 1 ms). Its p99 measured the bursts, weighted by their slowness.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpRequest, LoadResult } from './load.ts';
import { percentile } from './stats.ts';

/** Sockets open at most: a request waits for one only if this many are busy, which a rate below saturation never makes. */
const MAX_SOCKETS = 64;

export async function pacedLoad(base: string, options: { rate: number; seconds: number; next: () => HttpRequest }): Promise<LoadResult> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let failures = 0;
  const answered: Promise<void>[] = [];
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const { method, path, headers, body } = options.next();
    answered.push(
      new Promise<void>((resolve) => {
        const sent = request({ agent, host: url.hostname, port: url.port, method, path, headers }, (response) => {
          response.resume();
          response.on('error', () => {
            failures++;
            resolve();
          });
          response.on('end', () => {
            if (response.statusCode! >= 300) failures++;
            else latencies.push(performance.now() - due);
            resolve();
          });
        });
        sent.on('error', () => {
          failures++;
          resolve();
        });
        sent.end(body);
      }),
    );
  }
  await Promise.all(answered);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    rps: latencies.length / elapsed,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    requests: latencies.length,
    failures,
  };
}
