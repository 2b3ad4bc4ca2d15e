import t from 'tap';
import { startPlatformApp } from './platform-registry.ts';
import { websocketSweep } from './websocket-sweep.ts';

/* The websocket sweep with both layers on, as in production: the application's tenant condition and row-level security. */
const app = await startPlatformApp();
t.teardown(() => app.close());
await websocketSweep(t, app);
