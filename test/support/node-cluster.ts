import { makeProject, startServerProcess, type ServerProcess } from './server-process.ts';

/**
 * `count` Atrium nodes, each a real server process on a port of its own, on one PostgreSQL database
 * (`databaseUrl`) with the same secret: what runs behind a proxy. `config` is their platform.config.ts,
 * `env` their environment on top of it (ATRIUM_EVENTS_TRANSPORT, ATRIUM_DRAIN_SECONDS, …). They start
 * side by side; a test kills (`crash`) or stops (`stop`, SIGTERM) any of them.
 */
export async function startNodes(
  count: number,
  databaseUrl: string,
  config: Record<string, unknown>,
  env: Record<string, string> = {},
): Promise<ServerProcess[]> {
  const root = makeProject({ dataDir: 'data', ...config });
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startServerProcess(root, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...env })),
  );
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stopNodes(nodes);
    throw failed.reason;
  }
  return nodes;
}

/** Stops whatever is still running (a crashed node is already gone). */
export async function stopNodes(nodes: ServerProcess[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.stop()));
}
