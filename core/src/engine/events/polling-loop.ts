import type { FastifyBaseLogger } from 'fastify';

/** What one pass answers: how many items it handled of at most `batch` (a full batch runs again at once). */
export interface PassResult {
  handled: number;
  batch: number;
}

/**
 * Background work after commit, on every node (mail, webhook deliveries, time-based automations, due
 * notifications, billing grace): a worker extends this with its `pass`, which runs every `intervalMs` and at
 * once when woken (again after the current pass, if one is running). A pass answers how many items it
 * handled; a full batch means there may be more, so it runs again at once. The platform starts and stops
 * every worker (platform/services.ts).
 */
export abstract class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs: number,
  ) {}

  /** One pass now; tests call it directly, as a second node would. */
  abstract pass(): Promise<PassResult>;

  start(): void {
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks for due work now (again after the current pass, if one is running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.log.warn({ err: error }, `${this.name} pass failed`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { handled, batch } = await this.pass();
      if (handled < batch || this.stopped) return;
    }
  }
}
