// Issue 22 §4: the typed client's example (client/examples/partners.ts), as docs/api.md runs it, against a real
// Atrium listening on a port; and the documented answers of the administration are the ones the server gives.
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp } from '@atrium/core/testing';
import { createAtriumClient } from '@atrium/client';

t.setTimeout(300_000); // a server and two runs of the example (each a node with tsx), on a shared machine
const repo = fileURLToPath(new URL('..', import.meta.url));
const app = await startTestApp({ modules: ['contacts'], modulesDir: join(repo, 'modules') });
t.teardown(() => app.close());
await app.app.listen({ port: 0, host: '127.0.0.1' });
const address = app.app.server.address();
const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const admin = await app.signup('Client Co');

/** Runs the example as its docs do, asynchronously: the server answering it is in this process. */
const example = (password: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'client/examples/partners.ts', ...args],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, ATRIUM_URL: baseUrl, ATRIUM_EMAIL: admin.user.email, ATRIUM_PASSWORD: password },
      },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

t.test('the example signs in, creates a company and lists them, as documented', async (t) => {
  const run = await example('correct horse battery', 'Deco Addict');
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /^created Deco Addict \([0-9a-f-]{36}\) in Client Co\n- Deco Addict\n$/);
  const listed = await admin.request({ method: 'GET', url: '/api/records/contacts.partner' });
  t.same(
    listed.json().data.map((p: { name: string }) => p.name),
    ['Deco Addict'],
    'the record is there',
  );

  const refused = await example('wrong password');
  t.not(refused.status, 0, 'a wrong password stops it');
  t.match(refused.stderr, /sign-in refused/);
});

t.test('the client over HTTP: the administration answers what the document says', async (t) => {
  const atrium = createAtriumClient({ baseUrl, token: admin.token });
  const created = await atrium.POST('/api/admin/roles', {
    body: { name: 'sales_eu', label: 'Sales team Europe', permissions: { 'contacts.partner': { read: true } } },
  });
  t.equal(created.response.status, 201);
  t.same(Object.keys(created.data ?? {}).sort(), ['builtin', 'id', 'label', 'name', 'permissions']);
  const roles = await atrium.GET('/api/admin/roles');
  t.ok(roles.data?.data.some((r) => r.label === 'Sales team Europe'));
  const me = await atrium.GET('/api/me');
  t.same(Object.keys(me.data ?? {}).sort(), ['abilities', 'modules', 'roles', 'tenant', 'user']);
  t.equal(me.data?.tenant.name, 'Client Co');
  const anonymous = await createAtriumClient({ baseUrl }).GET('/api/admin/roles');
  t.equal(anonymous.response.status, 401);
  t.match(anonymous.error, { error: { code: String } });
});
