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
});
