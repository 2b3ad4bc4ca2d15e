import pg from 'pg';

const backendOf = async (client: pg.Client): Promise<number> =>
  (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

/**
 * Whether `url` leads to a pooler in transaction (or statement) mode, such as PgBouncer's
 * pool_mode=transaction: there, a client's statements outside a transaction may run on any server
 * connection. Two clients tell: A asks for its server process; B opens a transaction (PgBouncer hands
 * it the server connection A just released, the most recently used one); A asks again. Connected
 * directly or through a session pooler, A keeps one server process and B has another; behind a
 * transaction pooler, B got A's, or A's changed. One look can miss a transaction pooler (when other
 * clients, such as the other nodes, take the connections in between), never find one that is not there:
 * so it looks up to ATTEMPTS times, and ATRIUM_DB_POOLER=transaction is the way to be sure.
 */
export async function behindTransactionPooler(url: string): Promise<boolean> {
  const a = new pg.Client({ connectionString: url });
  const b = new pg.Client({ connectionString: url });
  try {
    await Promise.all([a.connect(), b.connect()]);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) if (await sharesServers(a, b)) return true;
    return false;
  } catch {
    // An unreachable database is reported by the first real query, with its own error.
    return false;
  } finally {
    await Promise.all([a.end().catch(() => undefined), b.end().catch(() => undefined)]);
  }
}

const ATTEMPTS = 5;

/** One look: whether B's transaction got A's server process, or A's process changed around it. */
async function sharesServers(a: pg.Client, b: pg.Client): Promise<boolean> {
  const first = await backendOf(a);
  await b.query('BEGIN');
  const held = await backendOf(b);
  const second = await backendOf(a);
  await b.query('COMMIT');
  return held === first || second !== first;
}
