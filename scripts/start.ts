/**
 * `npm start`: builds the shell the first time (or when its sources changed since the last build), then
 * starts the server from the TypeScript sources. With no DATABASE_URL, the database is an embedded
 * PostgreSQL (PGlite) in ./data. (`npm run build` and `npm run serve` run a compiled build instead.)
 */
import { startServer, exitOnStartupError } from '@atrium/core/platform';
import { ensureShellBuilt } from './shell-build.ts';

try {
  await ensureShellBuilt(() => console.log('Building the web shell (kit-ui)…'));
} catch {
  console.error('The web shell did not build; the API still starts.');
}
await startServer().catch(exitOnStartupError);
