/**
 * Memory read inside a server process, for the memory scenario: servers.ts starts the bench's servers with
 * `--expose-gc` and an IPC channel, and on the bench's `memory` message this answers with
 * process.memoryUsage() after two forced collections (the second frees what the first only finalized).
 * Over the channel, not a route: the product under test gets no endpoint for it.
 */
export interface MemoryReading {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

export const MEMORY_REQUEST = 'memory';

if (process.send) {
  process.on('message', (message) => {
    if (message !== MEMORY_REQUEST) return;
    if (!globalThis.gc) throw new Error('memory probe: the server was started without --expose-gc');
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
    process.send!({ memory: { heapUsed, external, arrayBuffers, rss } satisfies MemoryReading });
  });
  // The channel must not keep a server alive (a 'message' listener refs it, so unref after adding one).
  process.channel?.unref();
}
