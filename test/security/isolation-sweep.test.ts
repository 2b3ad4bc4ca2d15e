import t from 'tap';
import { isolationSweep } from './isolation-sweep.ts';
import { startPlatformApp } from './platform-registry.ts';

/* The isolation sweep with both layers on, as in production: the application's tenant condition and row-level security. */
const app = await startPlatformApp();
t.teardown(() => app.close());
await isolationSweep(t, app);
