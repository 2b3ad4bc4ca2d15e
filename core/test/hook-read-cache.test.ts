import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startTestApp } from '../src/platform/testing/index.ts';

// A hook that writes a record and reads it again in the same write reads its own write, and what it read then
// (uncommitted, maybe rolled back) is never kept for later writes (src/engine/records/hook-read-cache.ts).
const app = await startTestApp({ modules: ['tally'], modulesDir: fileURLToPath(new URL('./fixtures/hook-reads', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup();

const post = async (model: string, payload: object) => {
  const response = await admin.request({ method: 'POST', url: `/api/records/${model}`, payload });
  return { status: response.statusCode, body: response.json() };
};

t.test('a hook reads its own write, and a rolled-back one is not served to the next write', async (t) => {
  const counter = (await post('tally.counter', { name: 'Visits', value: 1 })).body.id;
  t.match(await post('tally.entry', { name: 'Read', counter }), { status: 201, body: { seen: 1 } }, 'the read that fills the cache');
  t.match(
    await post('tally.entry', { name: 'Bumped', counter, bump: true }),
    { status: 201, body: { seen: 2 } },
    'its own bump, not the cached 1',
  );
  t.match(await post('tally.entry', { name: 'Refused', counter, bump: true, fail: true }), { status: 409 });
  t.match(
    await post('tally.entry', { name: 'After', counter }),
    { status: 201, body: { seen: 2 } },
    'the committed 2, not the rolled-back 3',
  );
  const stored = await admin.request({ method: 'GET', url: `/api/records/tally.counter/${counter}` });
  t.equal(stored.json().value, 2);
});
