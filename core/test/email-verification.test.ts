import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';

const testApp = await startFixtureApp();
t.teardown(() => testApp.close());
const { app } = testApp;

/** The confirmation link of the newest verification mail in the tenant's mail catcher. */
async function linkOf(admin: Awaited<ReturnType<typeof testApp.signup>>): Promise<string> {
  const mails = (await call(admin, 'GET', '/api/admin/mails')).body.data;
  const mail = mails.find((m: { subject: string }) => m.subject.startsWith('Confirm your email address'));
  return /(https?:\/\/\S+\/verify-email\?token=\S+)/.exec(mail.body)![1];
}
const verify = (token: string) => app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });

t.test('sign-up mails a confirmation link through the outbox; the link confirms the address once', async (t) => {
  const admin = await testApp.signup('Verified Co');
  t.equal((await call(admin, 'GET', '/api/me')).body.user.email_verified, false, 'unconfirmed after sign-up');
  const mails = (await call(admin, 'GET', '/api/admin/mails')).body.data;
  t.equal(mails.length, 1);
  t.same(mails[0].recipients, [admin.user.email]);
  t.equal(mails[0].status !== 'failed', true);
  const link = new URL(await linkOf(admin));
  t.equal(link.pathname, '/verify-email');
  const token = link.searchParams.get('token')!;
  const confirmed = await verify(token);
  t.same([confirmed.statusCode, confirmed.json()], [200, { verified: true }]);
  t.equal((await call(admin, 'GET', '/api/me')).body.user.email_verified, true, 'confirmed, at once (the session cache was told)');
  t.equal((await verify(token)).statusCode, 404, 'the link works once');
  t.equal((await call(admin, 'POST', '/api/auth/verify-email/resend')).status, 409, 'nothing to resend once confirmed');
});

t.test('a new link replaces the previous one; a made-up token confirms nothing', async (t) => {
  const admin = await testApp.signup('Resent Co');
  const first = new URL(await linkOf(admin)).searchParams.get('token')!;
  t.equal((await call(admin, 'POST', '/api/auth/verify-email/resend')).status, 202);
  const second = new URL(await linkOf(admin)).searchParams.get('token')!;
  t.not(second, first);
  t.equal((await verify(first)).statusCode, 404, 'the earlier link no longer works');
  t.equal((await verify('made-up-token')).statusCode, 404);
  t.equal((await call(admin, 'GET', '/api/me')).body.user.email_verified, false);
  t.equal((await verify(second)).statusCode, 200);
  const bad = await app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: {} });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().error.details[0].field, 'token');
});

t.test('an unconfirmed admin uses the workspace as usual', async (t) => {
  const admin = await testApp.signup('Busy Co');
  t.equal((await call(admin, 'POST', '/api/records/dir.company', { name: 'Customer' })).status, 201);
  t.equal((await call(admin, 'GET', '/api/admin/users')).status, 200);
});
