import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** The handshake was refused with an HTTP status (400, 401, 403) and its body. */
export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body = '',
  ) {
    super(`handshake refused with ${status}`);
  }
}

/** ws://host:port of an app, listening on a free port of the loopback interface (once per app); or of a server's URL. */
export async function wsBase(app: FastifyInstance | string): Promise<string> {
  if (typeof app === 'string') return app.replace(/^http/, 'ws');
  const address = app.server.address();
  const url =
    address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : await app.listen({ port: 0, host: '127.0.0.1' });
  return url.replace(/^http/, 'ws');
}

/**
 * A real websocket client that keeps every frame, so a test waits for what it expects instead of
 * sleeping. Frames are consumed in order with `next`.
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private consumed = 0;
  private wake: (() => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const frame = JSON.parse(data.toString()) as Frame;
      // The protocol's frames are text (a browser would get a Blob for a binary one): a test waiting for it fails.
      this.frames.push(isBinary ? { type: 'binary frame, where the protocol sends text', frame } : frame);
      this.wake?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake?.();
      }),
    );
  }

  /**
   * Opens /api/ws with a token (or none), and the handshake's `after` when given; rejects with
   * HandshakeRefused when the server answers with a status.
   */
  static open(
    app: FastifyInstance | string,
    token: string | undefined,
    headers: Record<string, string> = {},
    after?: string,
  ): Promise<TestSocket> {
    const query = new URLSearchParams({ ...(token === undefined ? {} : { token }), ...(after === undefined ? {} : { after }) }).toString();
    return wsBase(app).then(
      (base) =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`${base}/api/ws${query ? `?${query}` : ''}`, { headers });
          const socket = new TestSocket(ws);
          ws.once('open', () => resolve(socket));
          ws.once('unexpected-response', (_request, response) => {
            let body = '';
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => reject(new HandshakeRefused(response.statusCode ?? 0, body)));
          });
          ws.once('error', reject);
        }),
    );
  }

  /** Opens a socket and waits for hello; `cursor` is the cursor it announced. */
  static async connect(app: FastifyInstance | string, token: string): Promise<TestSocket & { cursor: string }> {
    const socket = await TestSocket.open(app, token);
    const hello = await socket.next();
    if (hello.type !== 'hello') throw new Error(`expected hello, got ${JSON.stringify(hello)}`);
    return Object.assign(socket, { cursor: hello.cursor as string });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next frame not yet consumed; fails after `timeoutMs` or when the socket closes first. */
  async next(timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.consumed >= this.frames.length) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms (after ${this.consumed} frames)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.frames[this.consumed++];
  }

  /** The next `count` frames. */
  async take(count: number, timeoutMs = 20_000): Promise<Frame[]> {
    const out: Frame[] = [];
    for (let i = 0; i < count; i++) out.push(await this.next(timeoutMs));
    return out;
  }

  /** The next `count` record events, passing over the frames about something else (a notification, presence). */
  async takeEvents(count: number, timeoutMs = 20_000): Promise<Frame[]> {
    const out: Frame[] = [];
    while (out.length < count) {
      const frame = await this.next(timeoutMs);
      if (frame.type === 'event') out.push(frame);
    }
    return out;
  }

  /** Frames up to and including the first event about record `id` (a barrier: events come in cursor order). */
  async until(id: string, timeoutMs = 20_000): Promise<Frame[]> {
    const out: Frame[] = [];
    for (;;) {
      const frame = await this.next(timeoutMs);
      out.push(frame);
      if (frame.id === id) return out;
    }
  }

  close(): void {
    this.ws.close();
  }
}
