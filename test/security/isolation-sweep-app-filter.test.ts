import t from 'tap';
import { isolationSweep } from './isolation-sweep.ts';
import { startPlatformApp } from './platform-registry.ts';
import { turnOffRowSecurity } from './tenant-tables.ts';

/*
 * The isolation sweep with row-level security off: the record engine's own tenant condition alone must
 * keep tenant B out of A's records, on every route of every model. (row-security-sweep.test.ts proves
 * the other layer alone.)
 */
const app = await startPlatformApp();
t.teardown(() => app.close());
const rowSecurity = await turnOffRowSecurity(app);
await isolationSweep(t, app);

t.test('row-level security was off all along: inside one tenant the runtime role read every tenant', async (t) => {
  const someone = await app.signup('Witness');
  t.ok(await rowSecurity.readsEveryTenant(someone.tenant.id));
});
