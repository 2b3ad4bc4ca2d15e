import t from 'tap';
import { sql } from '../src/store/sql.ts';
import { startFixtureApp, call } from './helpers.ts';
import { TestSocket } from './socket-client.ts';
import { framesOf, nextOf, salesTeam } from './collaboration-fixtures.ts';

const testApp = await startFixtureApp();
t.teardown(() => testApp.close());

t.test('assigning a record notifies its new assignee only, live and in the inbox, if they may read it', async (t) => {
  const { admin, sam, hidden, deal, stage } = await salesTeam(testApp);
  const stranger = await testApp.signup();
  const sockets = await Promise.all([sam, admin, hidden, stranger].map((u) => TestSocket.connect(testApp.app, u.token)));
  const [samSocket, adminSocket, hiddenSocket, strangerSocket] = sockets;
  t.teardown(() => sockets.forEach((s) => s.close()));

  t.equal((await call(admin, 'PATCH', `/api/records/sales.deal/${deal}`, { owner: sam.user.id })).status, 200);
  const live = await nextOf(samSocket, 'notification');
  t.match(live, { unread: 1, notification: { kind: 'assigned', model: 'sales.deal', record: { id: deal, display: 'Acme' }, read: false } });
  t.equal((live.notification as { title: string }).title, 'Admin assigned you Deal Acme');

  const inbox = await call(sam, 'GET', '/api/notifications');
  t.equal(inbox.status, 200);
  t.equal(inbox.body.unread, 1);
  t.same(
    inbox.body.data.map((n: { id: string }) => n.id),
    [(live.notification as { id: string }).id],
    'the inbox holds it',
  );
  t.same((await call(admin, 'GET', '/api/notifications')).body, { data: [], unread: 0 }, 'the writer is not told of their own doing');
  t.same((await call(stranger, 'GET', '/api/notifications')).body, { data: [], unread: 0 }, 'another tenant has nothing');

  // The same assignee again (with another change): nothing new.
  await call(admin, 'PATCH', `/api/records/sales.deal/${deal}`, { owner: sam.user.id, name: 'Acme 2' });
  // Sam assigns a deal to themselves: not told of their own doing.
  const own = await call(sam, 'POST', '/api/records/sales.deal', { name: 'Mine', stage });
  t.equal(own.status, 201);
  // A deal assigned, at creation, to a user who may read no deal: stored, never shown.
  const unseen = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Secret', stage, owner: hidden.user.id });
  t.equal(unseen.status, 201);
  t.same(
    (await call(hidden, 'GET', '/api/notifications')).body,
    { data: [], unread: 0 },
    'a user who may not read the record sees nothing',
  );
  // A barrier: one more assignment to Sam, which must be the next notification Sam's socket gets.
  const next = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Next', stage, owner: sam.user.id });
  const second = await nextOf(samSocket, 'notification');
  t.match(second, { unread: 2, notification: { record: { id: next.body.id } } }, 'no notification came in between');
  t.same(framesOf(hiddenSocket, 'notification'), [], 'nothing reached the hidden user live');
  t.same(framesOf(adminSocket, 'notification'), [], 'nor the writer');
  t.same(framesOf(strangerSocket, 'notification'), [], 'nor another tenant');

  // Marking read: only one's own; the other sockets of the user hear the new count.
  const ids = (await call(sam, 'GET', '/api/notifications')).body.data.map((n: { id: string }) => n.id);
  t.same((await call(admin, 'POST', '/api/notifications/read', { ids })).body, { unread: 0 }, "another user's ids change nothing");
  t.equal((await call(sam, 'GET', '/api/notifications')).body.unread, 2);
  t.same((await call(sam, 'POST', '/api/notifications/read', { ids: [ids[0]] })).body, { unread: 1 });
  t.same(await nextOf(samSocket, 'notification'), { type: 'notification', unread: 1 });
  const after = (await call(sam, 'GET', '/api/notifications')).body;
  t.same(
    after.data.map((n: { read: boolean }) => n.read),
    [true, false],
    'newest first, the first read',
  );
});

t.test('a notification whose record the user can no longer read disappears from the inbox', async (t) => {
  const { admin, sam, deal } = await salesTeam(testApp);
  await call(admin, 'PATCH', `/api/records/sales.deal/${deal}`, { owner: sam.user.id });
  t.equal((await call(sam, 'GET', '/api/notifications')).body.unread, 1);
  await call(admin, 'DELETE', `/api/records/sales.deal/${deal}`);
  t.same((await call(sam, 'GET', '/api/notifications')).body, { data: [], unread: 0 });
});

t.test('POST /api/notifications/read refuses what is not a list of ids, naming the field', async (t) => {
  const { sam } = await salesTeam(testApp);
  for (const payload of [{}, { ids: 'x' }, { ids: ['not-a-uuid'] }, { ids: [], more: 1 }]) {
    const answer = await call(sam, 'POST', '/api/notifications/read', payload);
    t.equal(answer.status, 400, JSON.stringify(payload));
    t.match(JSON.stringify(answer.body), /ids|more/, 'the field is named');
  }
});

t.test('a notification left unread is mailed once, through the outbox; one the user may not read is never mailed', async (t) => {
  const { admin, sam, hidden, stage } = await salesTeam(testApp);
  await call(admin, 'POST', '/api/records/sales.deal', { name: 'For Sam', stage, owner: sam.user.id });
  await call(admin, 'POST', '/api/records/sales.deal', { name: 'For Hidden', stage, owner: hidden.user.id });
  await call(admin, 'POST', '/api/records/sales.deal', { name: 'Read in time', stage, owner: sam.user.id });
  const inbox = (await call(sam, 'GET', '/api/notifications')).body;
  await call(sam, 'POST', '/api/notifications/read', { ids: [inbox.data[0].id] });
  const { db, notificationMail } = testApp.app.platform;
  t.equal((await notificationMail.pass()).mailed, 0, 'nothing is due yet');
  await db.system(sql`UPDATE core_notifications SET created_at = now() - interval '1 hour' WHERE tenant_id = ${admin.tenant.id}::uuid`);
  t.equal((await notificationMail.pass()).mailed, 1, 'one mail: the unread notification Sam may read');
  t.equal((await notificationMail.pass()).mailed, 0, 'and never again');
  // The notifications' mails, about the deals (not the sign-up's confirmation of the admin's address).
  const mails = await db.system<{ recipients: string[]; subject: string; body: string }>(
    sql`SELECT recipients, subject, body FROM core_mails WHERE tenant_id = ${admin.tenant.id}::uuid AND model = 'sales.deal'`,
  );
  t.same(
    mails.map((m) => [m.recipients, m.subject]),
    [[[sam.user.email], 'Admin assigned you Deal For Sam']],
  );
  t.match(mails[0].body, /\/r\/sales\.deal\//, 'with a link to the record');
});

t.test('chatter: a mention, a message on a followed record and an activity notify their users, if they may read the record', async (t) => {
  const { admin, sam, hidden, deal } = await salesTeam(testApp);
  const url = `/api/records/sales.deal/${deal}`;
  const mention = await call(admin, 'POST', `${url}/messages`, {
    kind: 'message',
    body: `@[Sam](user:${sam.user.id}) and @[Hidden](user:${hidden.user.id}), look`,
  });
  t.equal(mention.status, 201);
  // Sam now follows the deal: a plain message reaches them as a follower.
  t.equal((await call(admin, 'POST', `${url}/messages`, { kind: 'message', body: 'Price agreed' })).status, 201);
  t.equal((await call(admin, 'POST', `${url}/messages`, { kind: 'note', body: 'Internal, not for followers' })).status, 201);
  const activity = await call(admin, 'POST', `${url}/activities`, {
    type: 'call',
    summary: 'Call Acme',
    due: '2030-01-01',
    assigned_to: sam.user.id,
  });
  t.equal(activity.status, 201);
  const inbox = (await call(sam, 'GET', '/api/notifications')).body;
  t.same(
    inbox.data.map((n: { kind: string; body: string; title: string }) => [n.kind, n.body, n.title]),
    [
      ['activity', 'Call Acme', 'Admin scheduled an activity for you on Deal Acme'],
      ['message', 'Price agreed', 'Admin wrote on Deal Acme'],
      ['mention', '@Sam and @Hidden, look', 'Admin mentioned you on Deal Acme'],
    ],
  );
  t.same((await call(hidden, 'GET', '/api/notifications')).body, { data: [], unread: 0 }, 'the hidden user, mentioned, sees nothing');
});

t.test('an open activity whose due day has come notifies its assignee once, live and in the inbox', async (t) => {
  const { admin, sam, hidden, deal } = await salesTeam(testApp);
  const url = `/api/records/sales.deal/${deal}`;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const schedule = async (summary: string, due: string, assignee = sam) => {
    const answer = await call(admin, 'POST', `${url}/activities`, { type: 'call', summary, due, assigned_to: assignee.user.id });
    t.equal(answer.status, 201, summary);
    return answer.body.id as string;
  };
  await schedule('Call on Monday', day(3));
  const done = await schedule('Done before its day', day(3));
  await schedule('For the hidden user', day(3), hidden);
  await schedule('Due yesterday already', day(-1));
  await schedule('Not yet', day(1));
  t.equal((await call(sam, 'POST', `/api/activities/${done}/done`)).status, 200);
  const { db, activityDue } = testApp.app.platform;
  const samSocket = await TestSocket.connect(testApp.app, sam.token);
  t.teardown(() => samSocket.close());
  t.equal((await activityDue.pass()).handled, 0, 'nothing has come due: the one scheduled overdue was told when scheduled');

  // Their day comes (the activities of this tenant that were due in three days are due today).
  await db.system(sql`UPDATE core_activities SET due = current_date WHERE tenant_id = ${admin.tenant.id}::uuid AND due = ${day(3)}::date`);
  await activityDue.pass(); // (or this node's own loop, which runs the same pass every few seconds)
  const [told] = await db.system<{ count: string }>(
    sql`SELECT count(*) FROM core_notifications WHERE tenant_id = ${admin.tenant.id}::uuid AND kind = 'activity_due'`,
  );
  t.equal(Number(told.count), 2, "Sam's and the hidden user's; not the one done");
  const live = await nextOf(samSocket, 'notification');
  t.match(live, {
    unread: 5,
    notification: {
      kind: 'activity_due',
      body: 'Call on Monday',
      actor: null,
      title: 'An activity is due on Deal Acme',
      record: { id: deal },
    },
  });
  t.equal((await activityDue.pass()).handled, 0, 'and never again');
  const due = (await call(sam, 'GET', '/api/notifications')).body.data.filter((n: { kind: string }) => n.kind === 'activity_due');
  t.equal(due.length, 1, "once in Sam's inbox");
  t.same((await call(hidden, 'GET', '/api/notifications')).body, { data: [], unread: 0 }, 'a user who may not read the deal sees nothing');
});
