import WebSocket from 'ws';

interface Frame {
  type: string;
  cursor?: string;
  id?: string;
}

/**
 * A websocket client that stays live as a well-behaved one does (docs/api.md): it remembers the last cursor
 * it received and, whenever its socket closes, reconnects with `/api/ws?token=…&after=<that cursor>`.
 * Every socket of a tenant's admin sees every event, so it expects the cursors to follow each other
 * without a gap, a duplicate or a step back, across reconnects; anything else is written down in
 * `problems` with the frames just before it (as issue 23 reported them).
 */
export class LiveClient {
  /** The cursor of the first hello: every event after it must arrive. */
  start = 0;
  /** The last cursor received. */
  last = 0;
  readonly cursors: number[] = [];
  /** How many times each record id arrived in an event. */
  readonly ids = new Map<string, number>();
  readonly problems: string[] = [];
  /** Close codes of every socket closed under the client, a refused reconnect included (1006: cut, or no handshake). */
  readonly closes: number[] = [];
  connections = 0;
  private socket: WebSocket | undefined;
  private stopped = false;
  private readonly recent: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly retryMs: number,
  ) {}

  /** Connects through `url` (http://… of a node or a proxy) and resolves at the first hello. */
  static async connect(url: string, token: string, retryMs = 100): Promise<LiveClient> {
    const client = new LiveClient(url.replace(/^http/, 'ws'), token, retryMs);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no hello within 20 s')), 20_000);
      client.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      client.open();
    });
    return client;
  }

  /** Resolves once the client has received `cursor` (fails after `timeoutMs`, saying where it stands). */
  async reach(cursor: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.last < cursor) {
      if (Date.now() > deadline) throw new Error(`stuck at ${this.last} of ${cursor} after ${this.connections} connections`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * What is wrong with what this client received, given the events it had to get (the cursors after `start` up
   * to `latest`) and the acknowledged creates: empty when it got each event once, in order.
   */
  missing(latest: number, acknowledged: string[]): string[] {
    const wrong = [...this.problems];
    const expected = latest - this.start;
    if (this.cursors.length !== expected || this.cursors.some((cursor, i) => cursor !== this.start + i + 1))
      wrong.push(`${this.cursors.length} events for the ${expected} after ${this.start}`);
    const notOnce = acknowledged.filter((id) => this.ids.get(id) !== 1);
    if (notOnce.length > 0) wrong.push(`${notOnce.length} acknowledged creates not received exactly once`);
    return wrong;
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private open(): void {
    const after = this.connections > 0 ? `&after=${this.last}` : '';
    const socket = new WebSocket(`${this.base}/api/ws?token=${encodeURIComponent(this.token)}${after}`);
    this.socket = socket;
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as Frame));
    socket.on('error', () => undefined); // a refused or cut connection ends in 'close', which reconnects
    socket.on('close', (code) => {
      if (this.stopped) return;
      this.closes.push(code);
      setTimeout(() => this.open(), this.retryMs);
    });
  }

  private receive(frame: Frame): void {
    const cursor = Number(frame.cursor);
    if (frame.type === 'hello') {
      if (this.connections === 0) this.start = this.last = cursor;
      else if (cursor !== this.last) this.problem(`hello at ${cursor} after resuming from ${this.last}`);
      this.connections++;
      this.note(`open@${cursor}`);
    } else if (frame.type === 'event') {
      if (cursor !== this.last + 1) this.problem(`out of order: ${cursor} after ${this.last}`);
      this.note(String(cursor));
      this.cursors.push(cursor);
      this.ids.set(frame.id!, (this.ids.get(frame.id!) ?? 0) + 1);
      this.last = Math.max(this.last, cursor);
    } else {
      this.problem(`unexpected frame ${JSON.stringify(frame)}`);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  private note(what: string): void {
    this.recent.push(what);
    if (this.recent.length > 12) this.recent.shift();
  }

  private problem(what: string): void {
    this.problems.push(`${what}; recent ${this.recent.join(' ')}`);
  }
}
