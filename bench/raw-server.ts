/**
 * The baseline: fastify + pg, one SQL statement per request, the tenant in the WHERE clause, no RLS, no
 * permissions, no events table. Run as a child process by bench/run.ts:
 *   RAW_DATABASE_URL=postgres://… PORT=3902 node --import tsx bench/raw-server.ts
 * The caller names its tenant and user in the x-tenant and x-user headers.
 */
import Fastify, { type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import pg from 'pg';
import type { WebSocket } from 'ws';
import './memory-probe.ts';

const pool = new pg.Pool({ connectionString: process.env.RAW_DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });
const sockets = new Map<string, Set<WebSocket>>();
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const headers = {
  type: 'object',
  required: ['x-tenant'],
  properties: { 'x-tenant': { type: 'string', pattern: UUID }, 'x-user': { type: 'string', pattern: UUID } },
};
const tenantOf = (request: FastifyRequest): string => request.headers['x-tenant'] as string;

/** The columns the API returns, as one JSON object per row (as Atrium's record JSON, minus relation labels). */
const RECORD = `json_build_object('id', l.id, 'version', l.version, 'created_at', l.created_at, 'updated_at', l.updated_at,
  'name', l.name, 'stage', l.stage_id, 'expected_revenue', l.expected_revenue::text, 'probability', l.probability,
  'priority', l.priority, 'salesperson', l.salesperson_id, 'archived', l.archived)`;

await app.register(websocket);

app.get('/health', async () => ({ ok: true }));

app.get('/ws', { websocket: true }, (socket, request) => {
  const tenant = String((request.query as { tenant?: string }).tenant ?? '');
  let set = sockets.get(tenant);
  if (!set) sockets.set(tenant, (set = new Set()));
  set.add(socket);
  socket.on('close', () => set.delete(socket));
  socket.send(JSON.stringify({ type: 'hello' }));
});

app.post(
  '/leads',
  {
    schema: {
      headers,
      body: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', maxLength: 200 },
          expected_revenue: { type: ['string', 'number'] },
          stage: { type: 'string', pattern: UUID },
        },
      },
    },
  },
  async (request, reply) => {
    const body = request.body as { name: string; expected_revenue?: string | number; stage?: string };
    const tenant = tenantOf(request);
    const { rows } = await pool.query(
      `INSERT INTO lead AS l (tenant_id, id, name, stage_id, expected_revenue, priority, salesperson_id, archived, created_by, updated_by)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, '0', $5, false, $5, $5) RETURNING ${RECORD} AS r`,
      [tenant, body.name, body.stage ?? null, body.expected_revenue ?? null, request.headers['x-user'] ?? null],
    );
    const record = rows[0].r;
    const listeners = sockets.get(tenant);
    if (listeners) {
      const frame = JSON.stringify({ type: 'event', op: 'created', record });
      for (const socket of listeners) socket.send(frame);
    }
    reply.code(201);
    return record;
  },
);

app.get('/leads', { schema: { headers } }, async (request) => {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM lead WHERE tenant_id = $1 LIMIT 10001) c) AS total,
       (SELECT coalesce(json_agg(p.r), '[]') FROM (SELECT ${RECORD} AS r FROM lead l WHERE l.tenant_id = $1 ORDER BY l.created_at DESC, l.id DESC LIMIT 50) p) AS data`,
    [tenantOf(request)],
  );
  return { data: rows[0].data, total: Number(rows[0].total) };
});

app.get('/leads/groups', { schema: { headers } }, async (request) => {
  const { rows } = await pool.query(
    `SELECT g.key, s.name AS label, g.count, g.sum FROM (SELECT stage_id AS key, count(*)::int AS count, round(coalesce(sum(expected_revenue), 0), 2)::text AS sum
       FROM lead WHERE tenant_id = $1 GROUP BY 1) g LEFT JOIN stage s ON s.tenant_id = $1 AND s.id = g.key ORDER BY g.key IS NOT NULL, s.sequence, s.name`,
    [tenantOf(request)],
  );
  return { data: rows };
});

const close = async (): Promise<void> => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
await app.listen({ port: Number(process.env.PORT ?? 3902), host: '127.0.0.1' });
