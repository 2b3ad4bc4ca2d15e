import t from 'tap';
import { FIXTURE_MODULES } from '../core/test/helpers.ts';
import { createTestDatabase } from '@atrium/core/testing';
import { makeProject, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { prettyLogStream, resolveConfig } from '@atrium/core/platform';

/** On a terminal the log is one readable line per request; piped (production), JSON lines as before. */
t.setTimeout(300_000); // two server processes start on a shared machine
const database = await createTestDatabase();
t.teardown(() => database.drop());
const env: Record<string, string> = database.url ? { DATABASE_URL: database.url } : {};

async function requestsOn(server: ServerProcess): Promise<string[]> {
  await fetch(`${server.url}/api/health`);
  await fetch(`${server.url}/api/records/nope.model`);
  await new Promise((r) => setTimeout(r, 300));
  return server.output().replaceAll('\r', '').split('\n').filter(Boolean);
}

t.test('started on a terminal: one readable line per request, no JSON', async (t) => {
  const server = await startServerProcess(makeProject({ modules: ['dir'], modulesDir: FIXTURE_MODULES, dataDir: 'data' }), env, {
    terminal: true,
  });
  t.teardown(() => server.stop());
  const lines = await requestsOn(server);
  t.notOk(
    lines.some((line) => line.startsWith('{')),
    'no JSON line',
  );
  t.equal(lines.filter((line) => line.includes('/api/records/nope.model')).length, 1, 'one line for the request');
  t.match(
    lines.find((line) => line.includes('/api/records/nope.model')),
    /^\d\d:\d\d:\d\d GET \/api\/records\/nope\.model \d{3} \d+ ms$/,
  );
});

t.test('started with stdout piped: JSON lines, as production logs are', async (t) => {
  const server = await startServerProcess(makeProject({ modules: ['dir'], modulesDir: FIXTURE_MODULES, dataDir: 'data' }), env);
  t.teardown(() => server.stop());
  const lines = (await requestsOn(server)).filter((line) => line.includes('nope.model') || line.includes('request completed'));
  t.ok(lines.length >= 2);
  t.ok(
    lines.every((line) => JSON.parse(line).level),
    'every line is a JSON object',
  );
});

t.test('ATRIUM_LOG_FORMAT chooses either way; anything else stops the start', async (t) => {
  const format = (env: Record<string, string>) => resolveConfig({}, process.cwd(), env).logFormat;
  t.equal(format({ ATRIUM_LOG_FORMAT: 'pretty' }), 'pretty');
  t.equal(format({ ATRIUM_LOG_FORMAT: 'json' }), 'json');
  t.throws(() => format({ ATRIUM_LOG_FORMAT: 'fancy' }), /ATRIUM_LOG_FORMAT must be "json" or "pretty"/);
});

t.test('the formatter: warnings and errors are labelled, with their stack', async (t) => {
  let text = '';
  const stream = prettyLogStream({ write: (chunk: string) => (text += chunk) });
  const time = Date.parse('2026-01-02T03:04:05Z');
  stream.write(JSON.stringify({ level: 50, time, msg: 'unexpected error', err: { stack: 'Error: boom\n    at here' } }));
  stream.write(JSON.stringify({ level: 30, time, msg: 'request completed', reqId: 'r1', res: { statusCode: 500 }, responseTime: 2.4 }));
  t.match(text, /\d\d:\d\d:\d\d ERROR unexpected error\n {2}Error: boom\n {6}at here\n/);
  t.match(text, /r1 500 2 ms\n$/, 'a completion whose start was not seen still gets a line');
});
