import t from 'tap';
import { fileURLToPath } from 'node:url';
import { startTestApp } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['__NAME__'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());

t.test('items: seeded, created, finished, and invisible to another tenant', async (t) => {
  const admin = await app.signup();
  const json = async (method: 'GET' | 'POST', url: string, payload?: object) =>
    (await admin.request({ method, url, ...(payload ? { payload } : {}) })).json();
  t.equal((await json('GET', '/api/records/__NAME__.item')).total, 1, 'the seed data is there');
  const item = await json('POST', '/api/records/__NAME__.item', { name: '  First  ' });
  t.match(item, { name: 'First', state: 'todo', owner: { id: admin.user.id } });
  t.equal((await json('POST', `/api/records/__NAME__.item/${item.id}/actions/finish`)).state, 'done');
  const other = await app.signup();
  t.equal((await other.request({ method: 'GET', url: `/api/records/__NAME__.item/${item.id}` })).statusCode, 404);
});
