/** A limit of a company's plan that a write would exceed: `details` of `402 plan_limit` (docs/api.md). */
export interface PlanLimitExceeded {
  /** `requests_per_minute` comes with `429 rate_limited` (the others with `402 plan_limit`). */
  limit: 'users' | 'records' | 'modules' | 'storage' | 'requests_per_minute';
  max: number;
  /** The value before the write (requests: those of the last minute). */
  current: number;
  /** For a per-model records limit: the model. */
  model?: string;
}

/** `GET /api/admin/plan`: the company's plan, its limits (null: unlimited) and what it holds. */
export interface PlanSummary {
  plan: string;
  label: string;
  limits: {
    users: number | null;
    records: number | null;
    model_records: Record<string, number>;
    modules: number | null;
    storage_bytes: number | null;
    requests_per_minute: number | null;
  };
  usage: {
    users: number;
    records: number;
    model_records: Record<string, number>;
    modules: number;
    storage_bytes: number;
  };
  plans: { name: string; label: string }[];
}

/** `GET /api/admin/usage?days=N`: what the company holds and writes. */
export interface UsageReport {
  period: { days: number; to: string };
  users: { total: number; active_accounts: number; active_in_period: number };
  models: {
    model: string;
    module: string;
    label: string;
    records: number;
    writes: { created: number; updated: number; deleted: number };
  }[];
  daily: { day: string; writes: number }[];
  storage: { records_bytes: number; events_bytes: number; total_bytes: number };
}
