import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';
import { TestSocket } from './socket-client.ts';

/** `GET /api/metrics`: Prometheus text for the holder of ATRIUM_METRICS_TOKEN; each metric is there and moves. */
const TOKEN = 'metrics-test-token';
const testApp = await startFixtureApp({ metrics: { token: TOKEN, topTenants: 2 } });
t.teardown(() => testApp.close());

async function scrape(): Promise<string> {
  const response = await testApp.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  if (response.statusCode !== 200) throw new Error(`metrics answered ${response.statusCode}`);
  return response.body;
}

/** The value of one series (`name{labels}`), 0 when it is not there. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const seriesOf = (text: string, name: string): string[] =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

t.test('only with the token: 401 without it or with another, 404 when metrics are off', async (t) => {
  for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN]) {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/metrics', headers: authorization ? { authorization } : {} });
    t.equal(response.statusCode, 401, String(authorization));
    t.equal(response.json().error.code, 'unauthorized');
  }
  const ok = await testApp.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  t.equal(ok.statusCode, 200);
  t.match(ok.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  t.match(ok.body, /# TYPE process_cpu_user_seconds_total counter/, "the process' own metrics too");

  const off = await startFixtureApp();
  t.teardown(() => off.close());
  const response = await off.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  t.equal(response.statusCode, 404);
  t.equal(response.json().error.code, 'not_found');
});

t.test('request rate and latency by route pattern, method and status', async (t) => {
  const admin = await testApp.signup();
  const series = 'atrium_http_request_duration_seconds_count{method="GET",route="/api/records/:model",status="200"}';
  const before = value(await scrape(), series);
  await call(admin, 'GET', '/api/records/dir.company');
  await call(admin, 'GET', '/api/records/dir.tag');
  const after = await scrape();
  t.equal(value(after, series), before + 2, 'two lists, one series: the pattern, not the URL');
  t.ok(value(after, 'atrium_http_request_duration_seconds_bucket{le="10",method="GET",route="/api/records/:model",status="200"}') >= 2);
  await call(admin, 'GET', '/api/records/nope.model');
  t.ok(
    value(await scrape(), 'atrium_http_request_duration_seconds_count{method="GET",route="/api/records/:model",status="404"}') >= 1,
    'errors by their status',
  );
  await testApp.app.inject({ method: 'GET', url: '/no/such/route' });
  t.ok(
    value(await scrape(), 'atrium_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}') >= 1,
    'unknown URLs share one series',
  );
});

t.test('writes per tenant: only the top tenants get a series', async (t) => {
  const signedUp = value(await scrape(), 'atrium_writes_total');
  const [busy, quiet, idle] = [await testApp.signup(), await testApp.signup(), await testApp.signup()];
  const before = value(await scrape(), 'atrium_writes_total');
  // A signup writes too: the shipped modules' seed data.
  const seeded = (before - signedUp) / 3;
  for (let i = 0; i < 4; i++) await call(busy, 'POST', '/api/records/dir.company', { name: `Busy ${i}` });
  for (let i = 0; i < 3; i++) await call(quiet, 'POST', '/api/records/dir.company', { name: `Quiet ${i}` });
  await call(idle, 'POST', '/api/records/dir.company', { name: 'Idle' });
  const text = await scrape();
  t.equal(value(text, 'atrium_writes_total'), before + 8);
  t.equal(value(text, `atrium_tenant_writes_total{tenant="${busy.tenant.id}"}`), seeded + 4);
  t.equal(value(text, `atrium_tenant_writes_total{tenant="${quiet.tenant.id}"}`), seeded + 3);
  t.equal(seriesOf(text, 'atrium_tenant_writes_total').length, 2, 'topTenants: 2');
  t.notMatch(text, idle.tenant.id);
});

t.test('open sockets, and the lag of the events they are sent', async (t) => {
  const admin = await testApp.signup();
  const lagCount = 'atrium_event_delivery_lag_seconds_count';
  const before = await scrape();
  const socket = await TestSocket.connect(testApp.app, admin.token);
  t.equal(value(await scrape(), 'atrium_websocket_connections'), value(before, 'atrium_websocket_connections') + 1);
  const created = await call(admin, 'POST', '/api/records/dir.company', { name: 'Live' });
  await socket.until(created.body.id);
  const after = await scrape();
  t.equal(value(after, lagCount), value(before, lagCount) + 1, 'one event delivered, one observation');
  t.ok(value(after, 'atrium_event_delivery_lag_seconds_sum') > value(before, 'atrium_event_delivery_lag_seconds_sum'), 'it took some time');
  socket.close();
  await socket.closed;
  for (let i = 0; i < 50 && value(await scrape(), 'atrium_websocket_connections') !== value(before, 'atrium_websocket_connections'); i++)
    await new Promise((r) => setTimeout(r, 20));
  t.equal(value(await scrape(), 'atrium_websocket_connections'), value(before, 'atrium_websocket_connections'), 'closed, not counted');
});

t.test('database pool use and waits', async (t) => {
  const admin = await testApp.signup();
  const poolSize = testApp.app.platform.config.database.poolSize;
  const before = await scrape();
  t.equal(value(before, 'atrium_db_pool_connections{state="max"}'), poolSize);
  // More concurrent requests than connections: some wait for one.
  await Promise.all(Array.from({ length: poolSize * 3 }, (_, i) => call(admin, 'POST', '/api/records/dir.company', { name: `Pool ${i}` })));
  const after = await scrape();
  t.ok(
    value(after, 'atrium_db_pool_acquire_seconds_count') >= value(before, 'atrium_db_pool_acquire_seconds_count') + poolSize * 3,
    'every acquisition observed',
  );
  t.ok(value(after, 'atrium_db_pool_acquire_seconds_sum') > value(before, 'atrium_db_pool_acquire_seconds_sum'));
  t.ok(
    value(after, 'atrium_db_pool_connections{state="idle"}') + value(after, 'atrium_db_pool_connections{state="busy"}') >= 1,
    'connections opened',
  );
  t.ok(value(after, 'atrium_db_pool_connections{state="busy"}') <= poolSize);
  t.equal(value(after, 'atrium_db_pool_waiting'), 0, 'nobody waits once it is over');
  // While every connection is held, the next request waits, and the gauge shows it.
  const held = await Promise.all(Array.from({ length: poolSize }, () => testApp.app.platform.db.pool.connect()));
  const waiting = call(admin, 'GET', '/api/records/dir.company');
  await new Promise((r) => setTimeout(r, 50));
  const during = await testApp.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  t.ok(value(during.body, 'atrium_db_pool_waiting') >= 1, 'a waiting request');
  t.equal(value(during.body, 'atrium_db_pool_connections{state="busy"}'), poolSize);
  for (const client of held) client.release();
  t.equal((await waiting).status, 200);
  const last = await scrape();
  t.ok(
    value(last, 'atrium_db_pool_acquire_seconds_bucket{le="0.025"}') < value(last, 'atrium_db_pool_acquire_seconds_count'),
    'the wait of about 50 ms is in a higher bucket',
  );
});
