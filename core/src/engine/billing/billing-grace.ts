import { PollingLoop, type PassResult } from '../events/polling-loop.ts';
import type { Platform } from '../platform.ts';
import { endExpiredGrace } from './billing-events.ts';

/** After a failed payment's grace period, the tenant goes back to the default plan: checked every minute, on every node. */
export class BillingGrace extends PollingLoop {
  constructor(private readonly platform: Platform) {
    super('billing grace', platform.log, 60_000);
  }

  async pass(): Promise<PassResult> {
    // One statement ends every expired grace: never a batch to run again.
    return { handled: await endExpiredGrace(this.platform), batch: Infinity };
  }
}
