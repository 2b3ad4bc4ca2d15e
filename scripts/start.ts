/**
 * `npm start`: builds the shell the first time (or when its sources changed since the last build), then
 * starts the server. With no DATABASE_URL, the database is an embedded PostgreSQL (PGlite) in ./data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../core/src/platform/main.ts';
import { exitOnStartupError } from '../core/src/platform/platform-config.ts';

const root = new URL('..', import.meta.url).pathname;
const ui = join(root, 'kit-ui');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

const index = join(ui, 'build', 'index.html');
if (existsSync(join(ui, 'src')) && (!existsSync(index) || newest(join(ui, 'src')) > statSync(index).mtimeMs)) {
  console.log('Building the web shell (kit-ui)…');
  const build = spawnSync('npm', ['run', 'build', '-w', 'kit-ui'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) console.error('The web shell did not build; the API still starts.');
}
await startServer().catch(exitOnStartupError);
