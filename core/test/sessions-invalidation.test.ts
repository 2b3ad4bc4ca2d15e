import t from 'tap';
import type { Database } from '../src/store/database.ts';
import { Sessions } from '../src/engine/tenancy/sessions.ts';
import { startFixtureApp } from './helpers.ts';

// Regression: a session read in flight when a role change was announced put the old roles back in the cache,
// where requests and open sockets used them until the cache's lifetime ran out.
const testApp = await startFixtureApp({ modules: ['dir'] });
t.teardown(() => testApp.close());
const admin = await testApp.signup();
const { db, schemas, config } = testApp.app.platform;

t.test('a read that an invalidation overtook is not cached', async (t) => {
  let reads = 0;
  let release: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const slowDb = {
    batch: async (...args: Parameters<Database['batch']>) => {
      const answer = await db.batch(...args);
      if (++reads === 1) await held; // the first read is still on its way when the change is announced
      return answer;
    },
  } as unknown as Database; // Sessions reads only through batch
  const sessions = new Sessions(slowDb, schemas, config.plans);
  const first = sessions.resolve(admin.tenant.id, admin.user.id, Date.now());
  await new Promise((resolve) => setImmediate(resolve));
  sessions.invalidate({ kind: 'tenant', tenantId: admin.tenant.id });
  release!();
  await first;
  await sessions.resolve(admin.tenant.id, admin.user.id, Date.now());
  t.equal(reads, 2, 'the next resolve reads again');
  await sessions.resolve(admin.tenant.id, admin.user.id, Date.now());
  t.equal(reads, 2, 'and that read is cached');
});
