import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend messages after which the backend has answered ReadyForQuery: the end of an exchange. */
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

/**
 * The one PGlite backend, lent to one connection at a time. A connection keeps it from its first message
 * until the backend is idle again: after Sync or a simple Query, outside a transaction block. So the
 * Parse/Bind/Execute of one connection's extended-protocol exchange, or a transaction spanning several
 * round trips, is never interleaved with another connection's messages (pglite-socket lent it one message
 * at a time, and two connections replaced each other's unnamed statement and portal). Turns are handed
 * over in the order they were asked for.
 */
export class PGliteBackend {
  private owner: object | undefined;
  private readonly waiting: { who: object; take: () => void }[] = [];

  constructor(readonly db: PGlite) {}

  /** Waits for the backend; already holding it is fine. */
  async acquire(who: object): Promise<void> {
    if (this.owner === who) return;
    if (this.owner === undefined) {
      this.owner = who;
      return;
    }
    await new Promise<void>((take) => this.waiting.push({ who, take }));
  }

  /** Hands the backend to the next in line (ownership moves at once: nobody can slip in between). */
  release(who: object): void {
    if (this.owner !== who) return;
    const next = this.waiting.shift();
    this.owner = next?.who;
    next?.take();
  }

  /**
   * Gives up the backend for good (the connection went away): an exchange it left half-way is ended with a
   * Sync, and a transaction it left open is rolled back, before the next in line gets the backend.
   */
  async abandon(who: object): Promise<void> {
    if (this.owner !== who) return;
    try {
      if (!this.db.closed) {
        await this.db.execProtocolRaw(SYNC_MESSAGE);
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      }
    } finally {
      this.release(who);
    }
  }

  /** `work` with the backend to itself, between two exchanges (a consistent dump of the data folder). */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const who = {};
    await this.acquire(who);
    try {
      return await work();
    } finally {
      this.release(who);
    }
  }
}

/** One client connection: its bytes cut into protocol messages, each run on the backend in order. */
class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly backend: PGliteBackend,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data) => this.receive(data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
      this.then(() => this.backend.abandon(this));
    });
  }

  /** Runs `step` after the steps before it; a step that fails ends the connection, never the steps after it. */
  private then(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((error: Error) => void this.socket.destroy(error));
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const message = this.nextMessage();
      if (!message) return;
      this.then(() => this.run(message));
    }
  }

  /** The next whole message, or undefined; the requests before start-up have no type byte. */
  private nextMessage(): Buffer | undefined {
    if (!this.started) {
      if (this.buffer.length < 8) return undefined;
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length) return undefined;
      const code = this.buffer.readInt32BE(4);
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        this.socket.write('N'); // no encryption on the loopback
        return this.nextMessage();
      }
      if (code === CANCEL_REQUEST) return this.nextMessage(); // one backend, nothing to signal
      this.started = true;
      return message;
    }
    if (this.buffer.length < 5) return undefined;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return undefined;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async run(message: Buffer): Promise<void> {
    if (this.closed) return;
    const type = message[0];
    if (type === TERMINATE) {
      this.socket.end();
      return;
    }
    await this.backend.acquire(this);
    const { db } = this.backend;
    try {
      if (this.closed) return;
      await db.execProtocolRawStream(new Uint8Array(message), { onRawData: (chunk) => void this.socket.write(Buffer.from(chunk)) });
    } catch (error) {
      // The backend failed outside SQL (PGlite closing): this connection cannot go on.
      this.socket.destroy(error as Error);
      return;
    } finally {
      // A start-up message (type byte 0: the length's first byte) ends with ReadyForQuery too.
      const exchangeDone = type === SYNC || type === QUERY || type === 0;
      // A connection that went away keeps it until abandon (queued after this) has cleaned up.
      if (!this.closed && exchangeDone && !db.closed && !db.isInTransaction()) this.backend.release(this);
    }
  }
}

/** PGlite on a loopback port, for the `pg` pool and MikroORM; every connection goes through one PGliteBackend. */
export async function listenPGlite(backend: PGliteBackend, maxConnections: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, backend);
  });
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
