import t from 'tap';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { testDatabaseKind } from '@atrium/core/testing';
import { makeProject, runScript, startServerProcess } from './support/server-process.ts';

/**
 * An embedded database has one owner: a second `npm start` (or a restore) on the same data folder is
 * refused with a message saying who holds it, and the lock a kill -9 leaves behind does not lock anyone out.
 */
if (testDatabaseKind() === 'postgresql') t.plan(0, "the data folder is PGlite's: this runs in the PGlite pass");

const root = makeProject({ modules: ['dir', 'sales'], modulesDir: FIXTURE_MODULES, dataDir: 'data' });
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const lock = join(root, 'data', 'pglite.lock');

t.test('a second server on the same folder is refused; after a kill -9 of the first, a new one starts', async (t) => {
  const first = await startServerProcess(root);
  t.teardown(() => first.crash());
  t.ok(existsSync(lock), 'the owner holds the lock');
  const second = await runScript(root, 'core/src/platform/main.ts', [], { PORT: '0' });
  t.equal(second.code, 1, 'the second server exits');
  t.match(second.output, new RegExp(`data folder .* is in use by process ${first.child.pid}`), 'saying which process holds the folder');
  t.notMatch(second.output, /\n\s+at /, 'without a stack trace');
  const restore = await runScript(root, 'core/src/platform/cli/restore.ts', [join(root, 'nothing.tar.gz'), '--force']);
  t.equal(restore.code, 1, 'a restore is refused too');
  t.match(restore.output, /is in use by process/);

  await first.crash();
  t.ok(existsSync(lock), 'kill -9 leaves the lock behind');
  const third = await startServerProcess(root);
  t.teardown(() => third.stop());
  t.equal((await fetch(`${third.url}/api/health`)).status, 200, 'a stale lock is taken over');
  await third.stop();
  t.notOk(existsSync(lock), 'a clean stop removes the lock');
});
