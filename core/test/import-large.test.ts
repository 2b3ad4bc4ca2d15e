import t from 'tap';
import { call, q, seedDeal, startFixtureApp } from './helpers.ts';

// 10,000 rows through the record path take a minute on a loaded machine's PGlite: more than the suite's 120 s default leaves when files run side by side.
t.setTimeout(600_000);
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Large import');
await seedDeal(admin, { name: 'Existing' });

t.test('10,000 rows import in one go, with progress as NDJSON', async (t) => {
  const lines = ['name,stage,amount'];
  for (let i = 0; i < 10_000; i++) lines.push(`Bulk ${i},New,${i}.25`);
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/sales.deal/import',
    payload: lines.join('\n'),
    headers: { 'content-type': 'text/csv', accept: 'application/x-ndjson' },
  });
  t.equal(response.statusCode, 200);
  const messages = response.body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const progress = messages.filter((m) => m.progress);
  t.ok(progress.length >= 50, 'progress is told along the way');
  t.same(progress.at(-1).progress, { done: 10_000, total: 10_000 });
  t.same(messages.at(-1), { result: { created: 10_000, updated: 0, errors: [] } });
  const count = await call(admin, 'GET', `/api/records/sales.deal?limit=1&filter=${q({ name: { $ilike: 'Bulk %' } })}`);
  t.equal(count.body.total, 10_000);
  const last = await call(admin, 'GET', `/api/records/sales.deal?filter=${q({ name: 'Bulk 9999' })}`);
  t.equal(last.body.data[0].amount, '9999.25');
});
