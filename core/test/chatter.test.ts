import t from 'tap';
import type { SignedIn } from '../src/platform/testing/index.ts';
import { call, seedDeal, startFixtureApp } from './helpers.ts';
import { postMessage } from '../src/engine/chatter/chatter-writes.ts';
import { TestSocket } from './socket-client.ts';

/*
 * The chatter (docs/api.md, "Chatter and activities"): one timeline per record merging messages, notes,
 * activity changes and history; mentions of the tenant's users; followers; attachments checked and served
 * only to readers of the record; activities and their states. Whoever may not read the record — another
 * tenant, a user whose rule hides it — gets none of it, over REST or the socket.
 */
// A dozen users, records and sockets: generous on a loaded machine.
t.setTimeout(600_000);
const testApp = await startFixtureApp();
t.teardown(() => testApp.close());
const admin = await testApp.signup('Chatter Co');
const sam = await testApp.addUser(admin, ['user'], 'Sam');
const role = await call(admin, 'POST', '/api/admin/roles', {
  name: 'own_deals',
  permissions: { 'sales.deal': { read: { owner: '$user' } }, 'sales.stage': { read: true } },
});
if (role.status !== 201) throw new Error(`the role: ${role.status}`);
const restricted = await testApp.addUser(admin, ['own_deals'], 'Rita');
const outsider = await testApp.signup('Elsewhere');
const { deal, stage } = await seedDeal(admin, { name: 'Big deal' });
const url = `/api/records/sales.deal/${deal.id}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const upload = (who: SignedIn, content: Buffer, type: string, name = 'offer.pdf', target = url) =>
  who.request({
    method: 'POST',
    url: `${target}/attachments?name=${encodeURIComponent(name)}`,
    payload: content,
    headers: { 'content-type': type },
  });
const mention = (who: SignedIn) => `@[${who.user.name}](user:${who.user.id})`;

t.test('the timeline merges changes, messages, notes and activity changes, newest first', async (t) => {
  t.equal((await call(admin, 'PATCH', url, { name: 'Bigger deal' })).status, 200);
  const message = await call(admin, 'POST', `${url}/messages`, { body: 'Sent the offer', kind: 'message' });
  t.equal(message.status, 201);
  t.match(message.body, { kind: 'message', body: 'Sent the offer', author: { id: admin.user.id }, attachments: [], mentions: [] });
  t.equal((await call(admin, 'POST', `${url}/messages`, { body: 'They hesitate', kind: 'note' })).status, 201);
  const activity = await call(admin, 'POST', `${url}/activities`, {
    type: 'call',
    summary: 'Call back',
    due: day(3),
    assigned_to: sam.user.id,
  });
  t.equal(activity.status, 201);
  t.match(activity.body, { type: 'call', summary: 'Call back', state: 'planned', assigned_to: { id: sam.user.id, display: 'Sam' } });

  const timeline = (await call(admin, 'GET', `${url}/messages`)).body.data;
  t.same(
    timeline.map((e: { kind: string; op?: string; body?: string }) => [e.kind, e.op ?? e.body]),
    [
      ['activity', ''],
      ['note', 'They hesitate'],
      ['message', 'Sent the offer'],
      ['change', 'updated'],
      ['change', 'created'],
    ],
  );
  t.match(timeline[0], { activity_change: 'scheduled', activity: { summary: 'Call back' } });
  t.match(timeline[3], { changes: { name: 'Bigger deal' }, previous: { name: 'Big deal' }, author: { id: admin.user.id } });
  const history = (await call(admin, 'GET', `${url}/history`)).body.data;
  t.equal(history.length, 2, 'the history still holds only the changes');
});

t.test('mentions must be users of the tenant; the mentioned and the author follow; followers are told of messages', async (t) => {
  const stranger = await call(admin, 'POST', `${url}/messages`, { body: `Ask ${mention(outsider)}`, kind: 'message' });
  t.equal(stranger.status, 400);
  t.equal(stranger.body.error.details[0].field, 'body');
  const bad = await call(admin, 'POST', `${url}/messages`, { body: 'x', kind: 'shout' });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.details[0].field, 'kind');
  t.equal((await call(admin, 'POST', `${url}/messages`, { body: '   ', kind: 'note' })).status, 400, 'an empty body');
  // Mentions are written in the body; a separate list is refused in words that fit a message, not a record.
  const listed = await call(admin, 'POST', `${url}/messages`, { body: 'x', kind: 'message', mentions: [sam.user.id] });
  t.equal(listed.status, 400);
  t.same(listed.body.error.details[0], { field: 'mentions', rule: 'additionalProperties', message: 'is not a known field' });

  const before = (await call(admin, 'GET', `${url}/followers`)).body;
  t.same(
    before.data.map((f: { id: string }) => f.id),
    [admin.user.id],
    'the creator follows',
  );
  const posted = await call(admin, 'POST', `${url}/messages`, { body: `${mention(sam)} can you call?`, kind: 'note' });
  t.equal(posted.status, 201);
  t.same(posted.body.mentions, [{ id: sam.user.id, display: 'Sam' }]);
  const after = (await call(sam, 'GET', `${url}/followers`)).body;
  t.equal(after.following, true, 'the mentioned user follows');

  // Who is to be notified, as the notifications will ask: a message tells the followers, not the author.
  const { db, registry } = testApp.app.platform;
  const target = { tenantId: admin.tenant.id, model: registry.model('sales.deal')!, recordId: deal.id };
  const notified = await db.transaction(admin.tenant.id, (tx) =>
    postMessage(tx, target, { userId: sam.user.id }, { kind: 'message', body: 'Done' }),
  );
  t.same(notified.notify, { mentioned: [], followers: [admin.user.id] });

  t.equal((await call(sam, 'DELETE', `${url}/followers`)).body.following, false, 'unfollow');
  t.equal((await call(sam, 'POST', `${url}/followers`)).body.following, true, 'follow');
});

t.test('attachments: checked type and size, sent with a message, served only to readers of the record', async (t) => {
  const saved = await upload(admin, PDF, 'application/pdf');
  t.equal(saved.statusCode, 201);
  const file = saved.json();
  t.match(file, { name: 'offer.pdf', mime_type: 'application/pdf', size: PDF.length });
  t.equal((await upload(admin, Buffer.from('<html>'), 'application/pdf')).statusCode, 400, 'not a PDF inside');
  t.equal((await upload(admin, Buffer.from('MZ'), 'application/x-msdownload')).statusCode, 415, 'a type not allowed');
  t.equal((await upload(admin, Buffer.alloc(11 * 1024 * 1024, 'a'), 'text/plain')).statusCode, 413, 'over 10 MB');

  const stolen = await call(sam, 'POST', `${url}/messages`, { body: 'mine', kind: 'message', attachments: [file.id] });
  t.equal(stolen.status, 400);
  t.equal(stolen.body.error.details[0].field, 'attachments.0', "another user's upload is not yours to send");
  t.equal((await sam.request({ method: 'GET', url: `${url}/attachments/${file.id}` })).statusCode, 404, 'not sent yet: only its uploader');

  const sent = await call(admin, 'POST', `${url}/messages`, { body: 'The offer', kind: 'message', attachments: [file.id] });
  t.equal(sent.status, 201);
  t.match(sent.body.attachments, [{ id: file.id, name: 'offer.pdf' }]);
  const download = await sam.request({ method: 'GET', url: `${url}/attachments/${file.id}` });
  t.equal(download.statusCode, 200);
  t.equal(download.headers['content-type'], 'application/pdf');
  t.ok(download.rawPayload.equals(PDF), 'the same bytes');
  t.match(String(download.headers['content-disposition']), /^attachment; filename="offer.pdf"/);
  t.equal((await restricted.request({ method: 'GET', url: `${url}/attachments/${file.id}` })).statusCode, 404);
  t.equal((await outsider.request({ method: 'GET', url: `${url}/attachments/${file.id}` })).statusCode, 404);
});

t.test('activities: planned, today, overdue, done; counts per card; my activities', async (t) => {
  const { deal: other } = await seedDeal(admin, { name: 'Other deal' });
  const otherUrl = `/api/records/sales.deal/${other.id}`;
  const late = await call(admin, 'POST', `${otherUrl}/activities`, {
    type: 'todo',
    summary: 'Late',
    due: day(-1),
    assigned_to: sam.user.id,
  });
  const today = await call(admin, 'POST', `${otherUrl}/activities`, {
    type: 'email',
    summary: 'Today',
    due: day(0),
    assigned_to: sam.user.id,
  });
  t.equal(late.body.state, 'overdue');
  t.equal(today.body.state, 'today');
  for (const [body, field, rule] of [
    [{ type: 'todo', summary: 'x', due: '2026-02-30', assigned_to: sam.user.id }, 'due', 'format'],
    [{ type: 'todo', summary: 'x', due: day(1), assigned_to: outsider.user.id }, 'assigned_to', 'user'],
    [{ type: 'party', summary: 'x', due: day(1), assigned_to: sam.user.id }, 'type', 'enum'],
    [{ type: 'todo', summary: 'x\u0000y', due: day(1), assigned_to: sam.user.id }, 'summary', 'nul'],
  ] as const) {
    const refused = await call(admin, 'POST', `${otherUrl}/activities`, body);
    t.equal(refused.status, 400, field);
    t.same([refused.body.error.details[0].field, refused.body.error.details[0].rule], [field, rule]);
  }
  const counts = (await call(sam, 'GET', '/api/records/sales.deal/activities')).body.data;
  t.same(
    counts.find((c: { id: string }) => c.id === other.id),
    { id: other.id, open: 2, overdue: 1 },
  );

  const mine = (await call(sam, 'GET', '/api/activities')).body.data;
  t.same(
    mine.map((a: { summary: string; record: { display: string } }) => [a.summary, a.record.display]),
    [
      ['Late', 'Other deal'],
      ['Today', 'Other deal'],
      ['Call back', 'Bigger deal'],
    ],
  );
  t.same((await call(admin, 'GET', '/api/activities')).body.data, [], 'not assigned to the admin');

  const done = await call(sam, 'POST', `/api/activities/${late.body.id}/done`);
  t.equal(done.status, 200);
  t.match(done.body, { state: 'done', done_by: { id: sam.user.id } });
  t.equal((await call(sam, 'POST', `/api/activities/${late.body.id}/done`)).status, 409);
  const listed = (await call(sam, 'GET', `${otherUrl}/activities`)).body.data;
  t.same(
    listed.map((a: { summary: string; state: string }) => [a.summary, a.state]),
    [
      ['Today', 'today'],
      ['Late', 'done'],
    ],
  );
  const timeline = (await call(sam, 'GET', `${otherUrl}/messages`)).body.data;
  t.match(timeline[0], { kind: 'activity', activity_change: 'done', author: { id: sam.user.id } });
});

t.test('another tenant and a user whose rule hides the record get nothing', async (t) => {
  const activity = (await call(admin, 'GET', `${url}/activities`)).body.data[0];
  for (const who of [outsider, restricted]) {
    for (const [method, path, body] of [
      ['GET', `${url}/messages`],
      ['POST', `${url}/messages`, { body: 'hi', kind: 'message' }],
      ['GET', `${url}/followers`],
      ['POST', `${url}/followers`],
      ['GET', `${url}/activities`],
      ['POST', `${url}/activities`, { type: 'todo', summary: 'x', due: day(1), assigned_to: who.user.id }],
      ['POST', `/api/activities/${activity.id}/done`],
    ] as const) {
      const answer = await call(who, method, path, body);
      t.equal(answer.status, 404, `${who.user.name} ${method} ${path}`);
    }
    t.equal((await upload(who, PDF, 'application/pdf')).statusCode, 404);
    t.same((await call(who, 'GET', '/api/activities')).body.data, []);
  }
  t.same((await call(restricted, 'GET', '/api/records/sales.deal/activities')).body.data, []);
  t.equal((await call(outsider, 'GET', '/api/records/sales.deal/activities')).status, 200);
  t.same((await call(outsider, 'GET', '/api/records/sales.deal/activities')).body.data, []);
  t.equal((await call(admin, 'GET', '/api/records/sales.stage/' + stage + '/messages')).status, 404, 'a model without a chatter');
});

t.test('messages are live for readers of the record only', async (t) => {
  const { deal: own } = await seedDeal(admin, { name: 'Rita deal', owner: restricted.user.id });
  const sockets = await Promise.all([sam, restricted, outsider].map((who) => TestSocket.connect(testApp.app, who.token)));
  t.teardown(() => sockets.forEach((s) => s.close()));
  const [samSocket, ritaSocket, outsiderSocket] = sockets;
  await call(admin, 'POST', `${url}/messages`, { body: 'Hidden from Rita', kind: 'message' });
  const visible = await call(admin, 'POST', `/api/records/sales.deal/${own.id}/messages`, {
    body: `For ${mention(restricted)}`,
    kind: 'note',
  });
  const chatter = (frames: { type: string }[]) => frames.filter((f) => f.type === 'chatter');
  const ritaFrames = chatter(await ritaSocket.until(own.id));
  t.same(
    ritaFrames.map((f) => (f as unknown as { entry: { body: string } }).entry.body),
    [visible.body.body],
    'Rita sees the message on her deal, not the other',
  );
  const samFrames = chatter(await samSocket.until(own.id));
  t.equal(samFrames.length, 2, 'Sam reads every deal');
  t.match(samFrames[0], { type: 'chatter', model: 'sales.deal', id: deal.id, entry: { kind: 'message', body: 'Hidden from Rita' } });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.same(chatter(outsiderSocket.frames), [], 'another tenant hears nothing');
});
