import type { FastifyInstance } from 'fastify';
import type { PlatformConfig } from '../kernel/config.ts';

/**
 * SIGTERM (or SIGINT), one sequence bounded by `shutdownSeconds` from the signal: readiness turns 503 and
 * requests go on being served for `drainSeconds` (a proxy takes the node out meanwhile); then the node
 * stops accepting, new requests on kept-alive connections get a 503, sockets are closed with 1001, the
 * requests in flight finish, the database is closed, and the process exits 0. Whatever is still running
 * at the deadline (a stuck query, a client that never sends its body) is abandoned: exit 1. A second
 * signal exits at once.
 */
export function stopOnSignals(app: FastifyInstance, config: Pick<PlatformConfig, 'drainSeconds' | 'shutdownSeconds'>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal, drainSeconds: config.drainSeconds, shutdownSeconds: config.shutdownSeconds }, 'stopping');
    setTimeout(() => {
      app.log.error({ shutdownSeconds: config.shutdownSeconds }, 'shutdown deadline reached: exiting with work unfinished');
      process.exit(1);
    }, config.shutdownSeconds * 1000).unref();
    app.lifecycle.draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
    app.lifecycle.stopping = true;
    try {
      await app.close();
    } catch (error) {
      app.log.error({ err: error }, 'closing failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}
