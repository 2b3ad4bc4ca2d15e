import t from 'tap';
import pg from 'pg';
import { Database } from '../src/store/database.ts';
import { testDatabaseKind } from '../src/platform/testing/index.ts';

/*
 * The embedded PGlite's front (store/pglite-server.ts): one backend, lent to a connection for a whole
 * exchange or transaction. A connection that goes away in the middle of either must not keep it: the
 * next connection gets a backend outside any transaction, at once.
 */
if (testDatabaseKind() === 'postgresql') t.plan(0, "the front is embedded PGlite's: this runs in the PGlite pass");
else {
  const db = await Database.open({ dataDir: 'memory://', poolSize: 2 }, () => undefined);
  t.teardown(() => db.close());
  await db.pool.query('CREATE TABLE front_probe (n int)');

  const gone = async (work: (client: pg.Client) => Promise<void>): Promise<void> => {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    await work(client);
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  };
  const soon = <T>(promise: Promise<T>): Promise<T> =>
    Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('still waiting after 2 s')), 2000))]);

  t.test('a connection that dies inside a transaction: its writes are rolled back and the others go on', async (t) => {
    await gone(async (client) => {
      await client.query('BEGIN');
      await client.query('INSERT INTO front_probe VALUES (1)');
    });
    const { rows } = await soon(db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM front_probe WHERE n = $1', [1]));
    t.same(rows, [{ n: 0 }], 'nothing of the dead transaction is seen');
    t.equal(db.embedded!.db.isInTransaction(), false, 'the backend is outside any transaction');
  });

  t.test('a connection that dies half-way through a failed extended-protocol exchange (no Sync): the others go on', async (t) => {
    // After an error the backend skips every message until a Sync: the next connection's would be lost.
    await gone(async (client) => {
      const stream = (
        client as unknown as { connection: { parse(q: object): void; bind(b: object): void; execute(e: object): void; flush(): void } }
      ).connection;
      stream.parse({ text: 'SELECT $1::int AS n FROM no_such_table', types: [] });
      stream.bind({ values: ['7'] });
      stream.execute({ rows: 0 });
      stream.flush();
      await new Promise((r) => setTimeout(r, 100));
    });
    const { rows } = await soon(db.pool.query<{ n: number }>('SELECT $1::int AS n', [42]));
    t.same(rows, [{ n: 42 }], 'the next exchange gets its own answer');
  });
}
