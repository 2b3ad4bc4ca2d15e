// The shell's .svelte files are type-checked (svelte-check), not only its .ts files.
import t from 'tap';
import { spawnSync } from 'node:child_process';

const repo = new URL('../..', import.meta.url).pathname;

t.test('svelte-check finds no error or warning in kit-ui', async (t) => {
  const result = spawnSync('npm', ['run', 'check', '-w', 'kit-ui'], { cwd: repo, encoding: 'utf8' });
  t.equal(result.status, 0, result.stdout.slice(-3000) + result.stderr.slice(-2000));
  t.match(result.stdout, /svelte-check found 0 errors and 0 warnings/);
});
