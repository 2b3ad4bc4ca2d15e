import t from 'tap';
import { startFixtureApp } from './helpers.ts';

t.test('an extension adds fields to a module loaded after it', async (t) => {
  const app = await startFixtureApp({ modules: ['dir', 'sales', 'memo'] });
  t.teardown(() => app.close());
  const admin = await app.signup();
  const meta = (await admin.request({ method: 'GET', url: '/api/meta' })).json();
  t.match(meta.models['sales.deal'].fields.notes, { type: 'one2many', model: 'memo.note', readonly: true });
  t.match(meta.models['memo.note'].fields.deal, { type: 'many2one', model: 'sales.deal' });
  t.same(meta.views['sales.deal_form'].layout.at(-1), ['notes']);
  const stage = (await admin.request({ method: 'POST', url: '/api/records/sales.stage', payload: { name: 'S' } })).json();
  const deal = (await admin.request({ method: 'POST', url: '/api/records/sales.deal', payload: { name: 'D', stage: stage.id } })).json();
  await admin.request({ method: 'POST', url: '/api/records/memo.note', payload: { text: 'call back', deal: deal.id } });
  const read = (await admin.request({ method: 'GET', url: `/api/records/sales.deal/${deal.id}` })).json();
  t.same(
    read.notes.map((n: { text: string }) => n.text),
    ['call back'],
  );
});

t.test('an extension that requires a module the platform does not ship is left out', async (t) => {
  const app = await startFixtureApp({ modules: ['dir', 'memo'] });
  t.teardown(() => app.close());
  const admin = await app.signup();
  const meta = (await admin.request({ method: 'GET', url: '/api/meta' })).json();
  t.same(Object.keys(meta.models['memo.note'].fields), ['text']);
  t.equal((await admin.request({ method: 'POST', url: '/api/records/memo.note', payload: { text: 'x' } })).statusCode, 201);
});
