import t from 'tap';
import { connect } from 'node:net';
import { startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
await app.app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.app.server.address() as { port: number };

/** Sends raw bytes and reads the whole answer: these requests never get as far as app.inject would take them. */
function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

t.test("what Node's HTTP parser refuses is answered in the API's shape, with the security headers", async (t) => {
  const cases: [string, string, number, string][] = [
    ['a URL over the size limit', `GET /api/health?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'headers_too_large'],
    [
      'headers over the size limit',
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    [
      'too many headers',
      `GET /api/health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
      431,
      'headers_too_large',
    ],
    ['a malformed request line', 'GET\u0001 / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'validation_failed'],
    ['not HTTP at all', 'HELLO THERE\r\n\r\n', 400, 'validation_failed'],
    ['a bad header', 'GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400, 'validation_failed'],
  ];
  for (const [what, request, status, code] of cases) {
    const answer = await raw(request);
    t.equal(answer.status, status, what);
    t.match(answer.headers['content-type'], /^application\/json/, what);
    t.match(
      JSON.parse(answer.body),
      { error: { code, message: String, ...(status === 400 ? { details: [{ field: 'request', rule: 'http' }] } : {}) } },
      what,
    );
    t.equal(answer.headers['x-content-type-options'], 'nosniff', what);
    t.match(answer.headers['content-security-policy'], /frame-ancestors 'self'/, what);
    t.equal(answer.headers['x-frame-options'], 'SAMEORIGIN', what);
    t.match(answer.headers['x-request-id'], /^[0-9a-f-]{36}$/, what);
  }
  const fine = await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  t.equal(fine.status, 200, 'the server still answers');
});
