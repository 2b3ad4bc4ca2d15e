import t from 'tap';
import { startFixtureApp } from './helpers.ts';

t.test('a list sorts on system fields, as docs/api.md documents (sort=-updated_at,name)', async (t) => {
  const app = await startFixtureApp();
  t.teardown(() => app.close());
  const admin = await app.signup();
  for (const name of ['first', 'second']) {
    const created = await admin.request({ method: 'POST', url: '/api/records/dir.company', payload: { name } });
    t.equal(created.statusCode, 201);
  }
  const newest = await admin.request({ method: 'GET', url: '/api/records/dir.company?sort=-created_at,name' });
  t.equal(newest.statusCode, 200, newest.body);
  t.same(
    newest.json().data.map((r: { name: string }) => r.name),
    ['second', 'first'],
  );
  const user = await app.addUser(admin, ['user']);
  const asUser = await user.request({ method: 'GET', url: '/api/records/sales.deal?sort=-updated_at' });
  t.equal(asUser.statusCode, 200, 'also for a user whose field rules list only declared fields');
});
