import { defineConfig } from '@atrium/core';

/**
 * The platform: which modules ship, and defaults. Environment variables (docs/api.md) override it:
 * PORT, HOST, DATABASE_URL (unset → embedded PGlite in ATRIUM_DATA_DIR), ATRIUM_SECRET, ATRIUM_ORIGINS, ATRIUM_DEMO.
 */
export default defineConfig({
  modules: ['contacts', 'crm', 'quotations', 'projects'],
  port: 3000,
  host: '127.0.0.1',
  dataDir: 'data',
  demo: true,
  events: { transport: 'postgres', retentionDays: 30 },
  // What a company may hold on each plan (null or left out: unlimited); new companies start on the default.
  plans: {
    default: 'free',
    list: {
      free: { label: 'Free', limits: { users: 5, records: 10_000, modules: 4, storageMb: 200, requestsPerMinute: 300 } },
      team: { label: 'Team', limits: { users: 25, records: 250_000, storageMb: 5_120, requestsPerMinute: 1_200 } },
      business: { label: 'Business', limits: { requestsPerMinute: 6_000 } },
    },
  },
});
