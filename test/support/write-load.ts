import pg from 'pg';

/**
 * Writers creating records through `url` (a node or a proxy) one after the other, each waiting `pauseMs`
 * between writes, until stopped: a steady load. A create answered 201 is acknowledged (it must reach every
 * client); anything else (a connection cut by a killed node, a 502) is counted as refused.
 */
export class WriteLoad {
  readonly acknowledged: string[] = [];
  /** Why each refused write was refused: its status (502, 503…) or the connection's error. */
  readonly refusals: string[] = [];
  private running = true;
  private readonly writers: Promise<void>[];

  constructor(url: string, token: string, options: { writers: number; model: string; pauseMs?: number }) {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    this.writers = Array.from({ length: options.writers }, async (_, w) => {
      for (let n = 0; this.running; n++) {
        const response = await fetch(`${url}/api/records/${options.model}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: `W${w}-${n}` }),
        }).catch((error: Error) => error);
        if (response instanceof Error) this.refusals.push(String(response.cause ?? response.message));
        else if (response.status === 201) this.acknowledged.push(((await response.json()) as { id: string }).id);
        else this.refusals.push(`${response.status} ${await response.text()}`);
        if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
    });
  }

  get refused(): number {
    return this.refusals.length;
  }

  /** Lets the writes in flight finish, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.writers);
  }
}

/** A tenant's latest event cursor, read from the database: where every client must get to. */
export async function tenantLatest(url: string, tenantId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT last FROM core_event_cursors WHERE tenant_id = $1', [tenantId]);
    return Number(rows[0]?.last ?? 0);
  } finally {
    await client.end();
  }
}

/** Signs a new company up through `url`; its admin's token and the tenant's id. */
export async function signUp(url: string, company: string): Promise<{ token: string; tenantId: string }> {
  const response = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      company,
      name: 'Admin',
      email: `admin@${company.toLowerCase().replace(/\W/g, '')}.example.com`,
      password: 'long enough password',
    }),
  });
  if (response.status !== 201) throw new Error(`signup: ${response.status} ${await response.text()}`);
  const { token, tenant } = (await response.json()) as { token: string; tenant: { id: string } };
  return { token, tenantId: tenant.id };
}
