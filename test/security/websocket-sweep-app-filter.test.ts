import t from 'tap';
import { startPlatformApp } from './platform-registry.ts';
import { turnOffRowSecurity } from './tenant-tables.ts';
import { websocketSweep } from './websocket-sweep.ts';

/* The websocket sweep with row-level security off: events and resumes must keep tenants apart by the application's own condition. */
const app = await startPlatformApp();
t.teardown(() => app.close());
const rowSecurity = await turnOffRowSecurity(app);
await websocketSweep(t, app);

t.test('row-level security was off all along: inside one tenant the runtime role read every tenant', async (t) => {
  const someone = await app.signup('Witness');
  t.ok(await rowSecurity.readsEveryTenant(someone.tenant.id));
});
