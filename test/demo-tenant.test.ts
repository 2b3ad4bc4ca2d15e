import t from 'tap';
import { startTestApp, createDemoTenant, DEMO_PASSWORD, DEMO_USERS } from '@atrium/core/testing';

// The platform's own modules and demo data files, as `npm start` loads them on an empty database.
const app = await startTestApp({ modules: ['contacts', 'crm', 'quotations', 'projects'] });
t.teardown(() => app.close());

const login = async (email: string) => {
  const response = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: DEMO_PASSWORD } });
  const token = response.json().token as string;
  return (url: string, method: 'GET' | 'PATCH' = 'GET', payload?: object) =>
    app.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
};

t.test('on an empty database the demo tenant is created once, with users of every role', async (t) => {
  const demo = await createDemoTenant(app.app.platform);
  t.ok(demo);
  t.same(new Set(demo!.users.flatMap((u) => u.roles)), new Set(['admin', 'manager', 'user']));
  t.equal(await createDemoTenant(app.app.platform), null, 'not twice');
  for (const user of DEMO_USERS) {
    const me = (await (await login(user.email))('/api/me')).json();
    t.equal(me.roles[0], user.roles[0], `${user.email} logs in`);
    t.equal(me.user.email_verified, true, `${user.email} needs no confirmation mail (no sign-up banner)`);
  }
});

t.test('the demo data spans partners, leads across stages and quotations with computed totals', async (t) => {
  const sally = await login('sally@demo.example');
  t.ok((await sally('/api/records/contacts.partner')).json().total >= 10);
  const columns = (await sally('/api/records/crm.lead/groups?by=stage')).json().data;
  t.ok(columns.length >= 4, 'leads in every stage');
  const quotations = (await sally('/api/records/quotations.quotation?sort=number')).json().data;
  t.same(
    quotations.map((q: { number: string; state: string }) => [q.number, q.state]),
    [
      ['S00001', 'draft'],
      ['S00002', 'sent'],
      ['S00003', 'sale'],
      ['S00004', 'cancel'],
    ],
  );
  // S00001: 12 × 289.00 less 10 % = 3121.20 (+15 % 468.18, +0.5 % 15.61) and 150.00 (+15 % 22.50)
  t.match(quotations[0], { amount_untaxed: '3271.20', amount_tax: '506.29', amount_total: '3777.49' });
});

t.test('the demo has projects with tasks, so a user can file a task at once', async (t) => {
  const sam = await login('sally@demo.example');
  const projects = (await sam('/api/records/projects.project?sort=name')).json().data;
  t.same(
    projects.map((p: { name: string }) => p.name),
    ['Office move', 'Website refresh'],
  );
  const tasks = (await sam('/api/records/projects.task/groups?by=stage')).json().data;
  t.ok(tasks.length >= 3, 'tasks across stages');
});

t.test("demo users keep their roles' limits", async (t) => {
  const sally = await login('sally@demo.example');
  const sams = (await sally('/api/records/crm.lead?filter=' + encodeURIComponent(JSON.stringify({ name: 'Showroom redesign' })))).json()
    .data[0];
  t.match(sams.salesperson, { display: 'Sam Sales' });
  t.equal((await sally(`/api/records/crm.lead/${sams.id}`, 'PATCH', { priority: '3' })).statusCode, 403);
});
