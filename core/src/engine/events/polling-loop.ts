import type { FastifyBaseLogger } from 'fastify';

/**
 * Background work after commit, on every node (mail, webhook deliveries, time-based automations): a pass
 * every `intervalMs`, and at once when woken (again after the current pass, if one is running). A pass
 * answers how many items it handled; a full batch means there may be more, so it runs again at once.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly log: FastifyBaseLogger,
    private readonly pass: () => Promise<{ handled: number; batch: number }>,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

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

  /** Resolves when the current pass (if any) is over: tests and shutdown wait on it. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { handled, batch } = await this.pass();
      if (handled < batch || this.stopped) return;
    }
  }
}
