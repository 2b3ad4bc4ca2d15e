// `npm run types` also writes the typed client's types (client/src/api.generated.ts) from the OpenAPI document:
// the committed file must be the one the current server describes.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

t.setTimeout(300_000); // a server in memory, on a shared machine
const repo = fileURLToPath(new URL('../..', import.meta.url));

t.test('client/src/api.generated.ts is up to date', async (t) => {
  const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/client-types.ts', '--check'], { cwd: repo, encoding: 'utf8' });
  t.equal(check.status, 0, check.stdout + check.stderr);
  t.match(check.stdout, 'the client types are up to date');
});
