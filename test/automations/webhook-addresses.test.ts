/**
 * Webhooks and the servers' own network (the SSRF cases of the security research: an internal port scan
 * through a URL the server fetches, DNS rebinding, a redirect inwards). By default a webhook reaches only
 * public addresses: an address is refused when the admin saves the automation, a name when a delivery
 * connects (the socket connects to the addresses that lookup checked); a redirect is an answer, never followed.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { resolveConfig } from '@atrium/core/platform';
import type { SignedIn } from '@atrium/core/testing';
import { call, startAutomationsApp, until, type Json } from './support.ts';

/** A receiver on loopback that keeps the path of every request; `/moved` redirects to `/inside`. */
const hits: string[] = [];
const receiver = createServer((request, response) => {
  hits.push(request.url!);
  if (request.url === '/moved') response.writeHead(302, { location: '/inside' }).end();
  else response.writeHead(200).end();
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const port = (receiver.address() as AddressInfo).port;
t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
t.setTimeout(300_000); // retries wait for their back-off (1 s, 2 s), on a shared machine

const hook = (url: string) => ({
  name: `To ${url}`,
  model: 'crm.lead',
  trigger: { on: 'create' },
  actions: [{ type: 'webhook', url, secret: 'a shared secret' }],
});

/** The tenant's deliveries once one is dead (three attempts: webhookMaxAttempts). */
const deadDelivery = (admin: SignedIn): Promise<Json> =>
  until(async () => {
    const rows = (await call(admin, 'GET', '/api/admin/automations/deliveries?status=dead')).body.data as Json[];
    return rows[0];
  }, 'a dead delivery');

t.test('private networks are off unless the config or ATRIUM_WEBHOOK_PRIVATE_NETWORKS turns them on', async (t) => {
  const allowed = (input: object, env: NodeJS.ProcessEnv) => resolveConfig(input, process.cwd(), env).automations.webhookPrivateNetworks;
  t.equal(allowed({}, {}), false, 'off by default');
  t.equal(allowed({ automations: { webhookPrivateNetworks: true } }, {}), true);
  t.equal(allowed({}, { ATRIUM_WEBHOOK_PRIVATE_NETWORKS: '1' }), true);
  t.equal(allowed({ automations: { webhookPrivateNetworks: true } }, { ATRIUM_WEBHOOK_PRIVATE_NETWORKS: '0' }), false, 'the variable wins');
});

t.test('by default an address that is not public is refused when the automation is saved, a name when it connects', async (t) => {
  const app = await startAutomationsApp({ privateNetworks: false });
  t.teardown(() => app.close());
  const admin = await app.signup('Careful Ltd');
  const refused = [
    `http://127.0.0.1:${port}/`,
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/',
    'http://172.20.0.5:5432/',
    'http://192.168.0.10/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[64:ff9b::a00:1]/',
  ];
  for (const url of refused) {
    const answer = await call(admin, 'POST', '/api/admin/automations', hook(url));
    t.equal(answer.status, 400, url);
    t.match(
      answer.body.error.details,
      [{ field: 'actions.0.url', message: /must reach a public address: .* is not a public address/ }],
      url,
    );
  }
  t.same((await call(admin, 'GET', '/api/admin/automations')).body.data, [], 'none was saved');
  const patched = await call(admin, 'POST', '/api/admin/automations', hook('https://93.184.216.34/hook'));
  t.equal(patched.status, 201, 'a public address is accepted');
  const moved = await call(admin, 'PATCH', `/api/admin/automations/${patched.body.id}`, { actions: hook('http://[::1]/').actions });
  t.equal(moved.status, 400, 'and cannot be changed into a private one');
  await call(admin, 'DELETE', `/api/admin/automations/${patched.body.id}`);

  t.equal((await call(admin, 'POST', '/api/admin/automations', hook(`http://localhost:${port}/named`))).status, 201, 'a name is saved');
  t.equal((await call(admin, 'POST', '/api/records/crm.lead', { name: 'Probe' })).status, 201);
  const dead = await deadDelivery(admin);
  t.match(dead, { attempts: 3, last_error: /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/ });
  t.same(hits, [], 'the receiver on loopback heard nothing');
});

t.test('with private networks allowed, a receiver on them gets deliveries, and a redirect is an answer, never followed', async (t) => {
  const app = await startAutomationsApp();
  t.teardown(() => app.close());
  const admin = await app.signup('Self Hosted Ltd');
  t.equal((await call(admin, 'POST', '/api/admin/automations', hook(`http://localhost:${port}/moved`))).status, 201);
  t.equal((await call(admin, 'POST', '/api/records/crm.lead', { name: 'Moved' })).status, 201);
  const dead = await deadDelivery(admin);
  t.match(dead, { attempts: 3, last_error: 'HTTP 302' });
  t.same(hits, ['/moved', '/moved', '/moved'], 'three attempts, none to where the redirect pointed');
});
