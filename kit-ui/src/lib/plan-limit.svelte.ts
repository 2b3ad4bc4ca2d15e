import type { PlanLimitExceeded } from '@atrium/protocol';
import { configureApi, type ApiError } from './api';

const NOUNS: Record<PlanLimitExceeded['limit'], string> = {
  users: 'users',
  records: 'records',
  modules: 'modules',
  storage: 'bytes stored',
  requests_per_minute: 'requests per minute',
};

/** A limit in words: "10 records (you have 10)", "5 crm.lead records". */
export function limitInWords(limit: PlanLimitExceeded): string {
  const what = limit.model ? `${limit.model} records` : NOUNS[limit.limit];
  return `${limit.max.toLocaleString()} ${what} (you have ${limit.current.toLocaleString()})`;
}

/**
 * The last request refused for the company's plan (402 `plan_limit`; 429 `rate_limited` over its requests per
 * minute), for the notice that explains it and shows where to upgrade. Set by every API call that meets one,
 * whichever view made it.
 */
class PlanLimitNotice {
  exceeded = $state<PlanLimitExceeded[] | null>(null);
  /** The requests per minute the plan allows, when that is what was exceeded (nothing was refused for good). */
  rate = $derived(this.exceeded?.find((limit) => limit.limit === 'requests_per_minute')?.max);

  show(error: ApiError): void {
    this.exceeded = Array.isArray(error.details) ? (error.details as PlanLimitExceeded[]) : [];
  }

  dismiss(): void {
    this.exceeded = null;
  }
}

export const planLimitNotice = new PlanLimitNotice();
configureApi({ onPlanLimit: (error) => planLimitNotice.show(error) });
