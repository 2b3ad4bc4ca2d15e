import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Parameters } from 'fast-check';
import { ident, join, sql } from '@atrium/core/testing';

/** One seed for every fuzz file (ATRIUM_FUZZ_SEED replays another); ATRIUM_FUZZ_RUNS scales the case counts. */
export const SEED = Number(process.env.ATRIUM_FUZZ_SEED ?? 20_261_125);
export const fuzzParameters = (numRuns: number): Parameters<unknown> => ({
  seed: SEED,
  numRuns: Math.max(1, Math.round(numRuns * Number(process.env.ATRIUM_FUZZ_RUNS ?? 1))),
  // The failing case's own message (what was wrong), not only its input.
  includeErrorInReport: true,
});

/** The docs/api.md codes each 4xx status may carry. */
const CODES: Record<number, string[]> = {
  400: ['validation_failed', 'invalid_json', 'tenant_required'],
  401: ['unauthorized'],
  403: ['forbidden'],
  404: ['not_found', 'module_disabled'],
  409: ['conflict'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  429: ['rate_limited'],
};
const LEAK = /\n\s+at |\.ts:\d|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|violates|syntax error|relation "|column "|pg_|stack/i;

/**
 * What is wrong with an answer, if anything: any 5xx; a 4xx that is not `{"error": {code, message,
 * details?}}` with a code of its status, or that leaks SQL or a stack; a validation error whose details
 * do not name, for each problem, a field under one of `fields` (when given: the body's keys, the model's
 * fields, the query's parameters).
 */
export function problemWith(response: LightMyRequestResponse, fields?: Iterable<string>): string | undefined {
  const { statusCode: status } = response;
  const said = `${status} ${response.body.slice(0, 300)}`;
  if (status >= 500) return `a ${said}`;
  if (status < 400) return undefined;
  if (!String(response.headers['content-type']).startsWith('application/json')) return `a ${status} that is not JSON: ${said}`;
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } };
  try {
    body = JSON.parse(response.body);
  } catch {
    return `a ${status} whose body does not parse: ${said}`;
  }
  const error = body?.error;
  if (!error || Object.keys(body).length !== 1 || Object.keys(error).some((k) => !['code', 'message', 'details'].includes(k)))
    return `not the error shape: ${said}`;
  if (!CODES[status]?.includes(String(error.code))) return `code ${String(error.code)} does not belong to ${status}: ${said}`;
  if (typeof error.message !== 'string' || LEAK.test(response.body)) return `a leaky or empty message: ${said}`;
  if (error.code !== 'validation_failed') return undefined;
  if (!Array.isArray(error.details) || error.details.length === 0) return `validation_failed without details: ${said}`;
  const allowed = fields && new Set(fields);
  // An empty key has no name to give: the server names the body.
  if (allowed?.has('')) allowed.add('body');
  for (const detail of error.details as Record<string, unknown>[]) {
    if (typeof detail?.field !== 'string' || typeof detail.rule !== 'string' || typeof detail.message !== 'string')
      return `a detail that is not {field, rule, message}: ${said}`;
    const field = detail.field;
    if (allowed && ![...allowed].some((name) => field === name || field.startsWith(`${name}.`)))
      return `a detail that names no field of the request (${detail.field}): ${said}`;
  }
  return undefined;
}

/**
 * A digest of everything a tenant holds: every model table and join table, row by row, and its events.
 * Equal digests before and after a refused write mean it changed nothing.
 */
export async function tenantSnapshot(app: FastifyInstance, tenantId: string): Promise<Record<string, string>> {
  const tables = [...app.platform.registry.models.values()]
    .filter((m) => !m.system)
    .flatMap((m) => [m.table, ...Object.values(m.fields).flatMap((f) => (f.relTable ? [f.relTable] : []))]);
  const digests = tables.map(
    (table) =>
      sql`SELECT ${table} AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${ident(table)} t WHERE t.tenant_id = ${tenantId}::uuid`,
  );
  const events = sql`SELECT 'core_events' AS name, count(*)::text AS digest FROM core_events WHERE tenant_id = ${tenantId}::uuid`;
  const rows = await app.platform.db.system<{ name: string; digest: string }>(join([...digests, events], ' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** Unhandled rejections and uncaught exceptions of this process while the fuzzing runs. */
export function watchProcess(): { failures: unknown[]; stop(): void } {
  const failures: unknown[] = [];
  const record = (error: unknown) => failures.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    failures,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}
